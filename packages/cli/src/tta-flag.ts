import type { TtaView } from '@fmnist/trainer';
import type { OptionDef, Values } from './command';
import { choice } from './options';

/** `--tta`: test-time augmentation of the test evaluation. */
export const TTA_OPTION: OptionDef = {
  type: 'string',
  value: 'VIEW',
  description: 'test-time augmentation: average the predictions of the image and this view',
  choices: ['hflip'],
  default: 'none',
};

/** `--tta hflip` -> evaluate's test-time augmentation views; undefined without the flag. */
export function ttaViews(values: Values): TtaView[] | undefined {
  return values.tta === undefined ? undefined : [choice(values, 'tta', ['hflip'] as const, 'hflip')];
}
