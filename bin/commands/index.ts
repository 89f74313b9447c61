/** The verbs of `netpol`, in the order `--help` lists them. */
import type { Command } from 'commander';
import { defineValidate } from './validate';
import { defineReach } from './reach';
import { defineExplain } from './explain';
import { defineLint } from './lint';
import { defineDiagram } from './diagram';
import { defineDiff } from './diff';

/** Declares one verb on the program. */
export type DefineCommand = (program: Command) => void;

export const COMMANDS: DefineCommand[] = [defineValidate, defineReach, defineExplain, defineLint, defineDiagram, defineDiff];
