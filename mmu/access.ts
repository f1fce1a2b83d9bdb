/** The kind of access being translated; selects permission bits and fault causes. */
export const enum Access {
  Fetch = 0,
  Load = 1,
  Store = 2, // stores and AMOs (an AMO needs both R and W; supervisor.adoc "Virtual Address Translation Process")
}

/** Privilege levels as encoded in mstatus.MPP / the priv field. */
export const enum Priv {
  U = 0,
  S = 1,
  M = 3,
}
