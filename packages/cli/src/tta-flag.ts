import type { TtaView } from '@fmnist/trainer';
import type { Values } from './command';
import { choice } from './options';

/** `--tta hflip` -> evaluate's test-time augmentation views; undefined without the flag. */
export function ttaViews(values: Values): TtaView[] | undefined {
  return values.tta === undefined ? undefined : [choice(values, 'tta', ['hflip'] as const, 'hflip')];
}
