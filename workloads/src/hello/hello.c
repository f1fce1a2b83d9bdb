/* The smallest workload: one line on the UART, exit 0. */
#include "rt.h"

int main(void)
{
    printf("Hello from rvhsim workloads!\n");
    return 0;
}
