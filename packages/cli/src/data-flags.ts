import type { OptionTable } from './command';

/** `--dir` and `--no-verify`: where the Fashion-MNIST files are, and whether to check them. */
export const DATA_OPTIONS: OptionTable = {
  dir: {
    type: 'string',
    value: 'DIR',
    description: 'the directory of the Fashion-MNIST files (only there when given)',
    default: 'the usual places, as fmnist doctor lists them',
  },
  'no-verify': { type: 'boolean', description: 'skip the sha256 check of the data files' },
};
