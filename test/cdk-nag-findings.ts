import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk from 'aws-cdk-lib';
import { App, Aspects, Stack, StackProps } from 'aws-cdk-lib';
import { SynthesisMessageLevel } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/** cdk-nag's major as installed: 3 runs as a policy-validation plugin through aws-cdk-lib's `Validations`. */
export const NAG_MAJOR: 2 | 3 = 'Validations' in cdk ? 3 : 2;

/** The packs every stack a user writes is checked with. */
const PACKS = ['AwsSolutions', 'Serverless'];

/**
 * Every unsuppressed finding of AwsSolutionsChecks and ServerlessChecks in a stack that `configure` fills, as
 * `<rule> at <construct path>`, registered as a user's app registers the installed major: v2 as aspects,
 * v3 as `Validations` plugins.
 */
export function nagFindings(configure: (stack: Stack) => void, stackProps: StackProps = {}): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'nag-'));
  try {
    const app = new App({ outdir });
    configure(new Stack(app, 'TestStack', stackProps));
    return NAG_MAJOR === 3 ? pluginFindings(app, outdir) : aspectFindings(app);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function aspectFindings(app: App): string[] {
  Aspects.of(app).add(new AwsSolutionsChecks());
  Aspects.of(app).add(new ServerlessChecks());
  const assembly = app.synth();
  return assembly.stacks.flatMap((stack) => stack.messages)
    .filter((message) => message.level !== SynthesisMessageLevel.INFO)
    .filter((message) => PACKS.some((pack) => String(message.entry.data).startsWith(`${pack}-`)))
    // "<rule>[<finding>]: <info>"; a finding holds "::" but never ": ".
    .map((message) => `${String(message.entry.data).split(': ')[0]} at ${message.id.replace(/^\//, '')}`);
}

interface ValidationReport {
  readonly pluginReports: Array<{
    readonly violations: Array<{ readonly ruleName: string; readonly violatingConstructs: Array<{ readonly constructPath: string }> }>;
  }>;
}

function pluginFindings(app: App, outdir: string): string[] {
  // `any`: the floor's aws-cdk-lib types (which the tests compile against) have no Validations, and cdk-nag 2's
  // pack constructors take no scope.
  const validations = (cdk as any).Validations.of(app);
  validations.addPlugins(new (AwsSolutionsChecks as any)(app), new (ServerlessChecks as any)(app));
  try {
    app.synth();
  } catch (err) {
    if (!fs.existsSync(path.join(outdir, 'validation-report.json'))) {
      throw err;
    }
  }
  const report: ValidationReport = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
  return report.pluginReports.flatMap((plugin) => plugin.violations.flatMap((violation) =>
    violation.violatingConstructs.map((construct) => `${violation.ruleName} at ${construct.constructPath}`)));
}
