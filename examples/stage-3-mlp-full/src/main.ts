import { stageMain } from '@fmnist/example-stage-kit';
import { stage3 } from './stage';

await stageMain(stage3);
