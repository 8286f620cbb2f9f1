import { stageMain } from '@fmnist/example-stage-kit';
import { stage7 } from './stage';

await stageMain(stage7);
