import { stageMain } from '@fmnist/example-stage-kit';
import { stage1 } from './stage';

await stageMain(stage1);
