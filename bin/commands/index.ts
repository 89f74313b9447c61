/** The verbs of `netpol`, in the order `--help` lists them. */
import type { Command } from 'commander';
import { defineSynth } from './synth';
import { defineValidate } from './validate';
import { defineReach } from './reach';
import { defineExplain } from './explain';
import { defineLint } from './lint';
import { defineDiagram } from './diagram';
import { defineDiff } from './diff';

/** Declares one verb on the program. */
export type DefineCommand = (program: Command) => void;

export const COMMANDS: DefineCommand[] = [defineSynth, defineValidate, defineReach, defineExplain, defineLint, defineDiagram, defineDiff];
