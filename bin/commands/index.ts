/** The verbs of `netpol`, in the order `--help` lists them. */
import type { Command } from 'commander';

/** Declares one verb on the program. */
export type DefineCommand = (program: Command) => void;

export const COMMANDS: DefineCommand[] = [];
