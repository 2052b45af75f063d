// The CDK app's entry (cdk.json runs it): settings from the context, account and region from the CLI.
import { App } from 'aws-cdk-lib';
import { buildApp } from './app.js';
import { SettingsError } from './settings.js';

const context = new App({ autoSynth: false }).node.getAllContext();
try {
  buildApp(context, { env: process.env, outdir: process.env['CDK_OUTDIR'] }).app.synth();
} catch (error) {
  if (error instanceof SettingsError) {
    console.error(`infra: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
