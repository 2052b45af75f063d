/**
 * Third-party actions are not ours to run here (no network, no GitHub): each one a workflow uses is
 * satisfied by a named local equivalent that does what the action would do for the steps after it,
 * and the rehearsal lists every one as simulated. A step using an action without an equivalent fails,
 * naming it, rather than being skipped silently.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface EquivalentContext {
  /** The working copy that stands in for every checkout. */
  readonly root: string;
  readonly workspace: string;
  /** What the stand-in's credentials are: `configure-aws-credentials` exports these. */
  readonly aws: { readonly endpoint: string; readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface EquivalentResult {
  /** What it did, in one line, for the timeline. */
  readonly did: string;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly exportedEnv?: Readonly<Record<string, string>>;
}

export interface Equivalent {
  /** The action it stands in for, as `uses:` names it without the ref. */
  readonly action: string;
  /** What stands in for it, as the report names it. */
  readonly name: string;
  run(inputs: Readonly<Record<string, string>>, context: EquivalentContext): EquivalentResult;
}

/** The working copy linked into the workspace, at `path` or at its root, as a checkout would place it. */
const checkout: Equivalent = {
  action: 'actions/checkout',
  name: 'link the working copy into the workspace',
  run(inputs, context) {
    const path = inputs.path ?? '';
    const target = resolve(context.workspace, path);
    if (path) {
      if (!existsSync(target)) symlinkSync(context.root, target, 'dir');
    } else {
      mkdirSync(target, { recursive: true });
      for (const entry of readdirSync(context.root)) {
        const link = join(target, entry);
        if (!existsSync(link) && !isLink(link)) symlinkSync(join(context.root, entry), link);
      }
    }
    const what = inputs.repository ? `${inputs.repository}@${inputs.ref || 'HEAD'}` : 'the repository';
    return { did: `${what} → the working copy at ${path || '.'}` };
  },
};

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * In place of OIDC and sts:AssumeRoleWithWebIdentity: the stand-in's static credentials, the region
 * asked for, and the stand-in's endpoint (AWS_ENDPOINT_URL, which the SDK honours) for the job.
 * The inputs are checked as the action would: a role and a region are required.
 */
const awsCredentials: Equivalent = {
  action: 'aws-actions/configure-aws-credentials',
  name: "the stand-in's credentials and endpoint",
  run(inputs, context) {
    const region = inputs['aws-region'] ?? '';
    const role = inputs['role-to-assume'] ?? '';
    if (!region) throw new Error('configure-aws-credentials: input aws-region is required (is the environment variable AWS_REGION set?)');
    if (!role) throw new Error('configure-aws-credentials: input role-to-assume is empty (is the environment variable AWS_ROLE_ARN set?)');
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(role))
      throw new Error(`configure-aws-credentials: role-to-assume ${role} is not an IAM role ARN`);
    return {
      did: `assumed ${role} in ${region} → stand-in at ${context.aws.endpoint}`,
      exportedEnv: {
        AWS_ACCESS_KEY_ID: context.aws.accessKeyId,
        AWS_SECRET_ACCESS_KEY: context.aws.secretAccessKey,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ENDPOINT_URL: context.aws.endpoint,
      },
      outputs: { 'aws-account-id': /::(\d{12}):/.exec(role)?.[1] ?? '' },
    };
  },
};

const setupNode: Equivalent = {
  action: 'actions/setup-node',
  name: "this machine's Node.js",
  run(inputs) {
    return { did: `asked for Node ${inputs['node-version'] || '(unset)'}; using ${process.version} from PATH` };
  },
};

const setupPython: Equivalent = {
  action: 'actions/setup-python',
  name: "this machine's Python (SVGAI_PYTHON)",
  run(inputs) {
    return { did: `asked for Python ${inputs['python-version'] || '(unset)'}; using ${process.env.SVGAI_PYTHON || '/usr/bin/python3'}` };
  },
};

const uploadArtifact: Equivalent = {
  action: 'actions/upload-artifact',
  name: 'files left where they are',
  run(inputs) {
    return { did: `artifact ${inputs.name || 'artifact'} (${(inputs.path ?? '').split('\n').join(', ')}) stays in the workspace` };
  },
};

export const EQUIVALENTS: readonly Equivalent[] = [checkout, awsCredentials, setupNode, setupPython, uploadArtifact];

export function equivalentFor(action: string): Equivalent | undefined {
  return EQUIVALENTS.find((e) => e.action === action);
}
