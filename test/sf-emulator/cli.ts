// `npm run emulator -- --port 8787 [--seed S] [--size K] [--latency MS]`: runs the org emulator as a
// standalone process and prints how to reach it.
import { parseArgs } from 'node:util';
import { startEmulator } from './index.ts';
import { INTEGRATION_USER } from './seed/users.ts';

function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    process.stderr.write(`--${name} must be a whole number ≥ 0, got "${value}"\n`);
    process.exit(2);
  }
  return parsed;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: 'prm-sync' },
    size: { type: 'string' },
    latency: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write('Usage: npm run emulator -- [--port 8787] [--host 127.0.0.1] [--seed prm-sync] [--size 50] [--latency 0]\n');
  process.exit(0);
}

const emulator = await startEmulator({
  port: numberOption('port', values.port, 8787),
  host: values.host,
  seed: values.seed,
  size: numberOption('size', values.size, 50),
  latencyMs: numberOption('latency', values.latency, 0),
});

process.stdout.write(
  [
    `Salesforce org emulator listening on ${emulator.url}`,
    `  org id        ${emulator.org.orgId}`,
    `  login         ${INTEGRATION_USER.username} / ${INTEGRATION_USER.password} (password grant, any client id)`,
    `  access token  ${emulator.accessToken}`,
    `  refresh token ${emulator.refreshToken}`,
    `  seeded        ${Object.entries(emulator.seeded).map(([k, v]) => `${v} ${k}`).join(', ')}`,
    `  try           curl -H "Authorization: Bearer ${emulator.accessToken}" "${emulator.url}/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+5"`,
    `  sf CLI        SF_ACCESS_TOKEN='${emulator.accessToken}' npx sf org login access-token --instance-url ${emulator.url} --no-prompt --alias emulator`,
    '',
  ].join('\n'),
);

const stop = () => {
  emulator.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
