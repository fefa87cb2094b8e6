import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addStages } from './stages.ts';

const app = new App();
addStages(app);
// Any unacknowledged AwsSolutions finding fails the synth, and with it every deploy.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
