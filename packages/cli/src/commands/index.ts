import type { Command } from '../command';
import { benchCommand } from './bench';
import { dataCommands } from './data';
import { doctorCommand } from './doctor';
import { evalCommand } from './eval';
import { exportCommand } from './export';
import { modelCommands } from './models';
import { predictCommand } from './predict';
import { profileCommand } from './profile';
import { studyCommands } from './study';
import { trainCommand } from './train';
import { tuneCommand } from './tune';

export const commands: Command[] = [
  ...dataCommands,
  ...modelCommands,
  trainCommand,
  evalCommand,
  exportCommand,
  predictCommand,
  doctorCommand,
  benchCommand,
  profileCommand,
  tuneCommand,
  ...studyCommands,
];
