import { stageMain } from '@fmnist/example-stage-kit';
import { stage2 } from './stage';

await stageMain(stage2);
