/**
 * Errors a user can cause (bad ELF, bad config, bad CLI input). They carry a message that names
 * the file, field or address at fault; the CLI prints the message and exits non-zero.
 * A guest's misbehaviour is never one of these: it is an architectural trap.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

export class ElfError extends UserError {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'ElfError';
  }
}

export class ConfigError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
