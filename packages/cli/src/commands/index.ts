import type { Command } from '../command';
import { dataCommands } from './data';

export const commands: Command[] = [...dataCommands];
