import { spawnSync } from 'node:child_process';

/**
 * Why a root-only test cannot run here, or undefined when it can: it needs root (network
 * namespaces, iptables) and the ip and iptables commands (scripts/setup-test-env.sh installs them).
 */
export function rootToolsMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const [tool, flag] of [['ip', '-V'], ['iptables', '--version']]) {
    if (spawnSync(tool, [flag]).status !== 0) return `${tool} is not installed (apt-get install -y iproute2 iptables)`;
  }
  return undefined;
}

/** Runs a command, throwing with its stderr when it fails. */
export function run(command: string, ...args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error}`);
  return result.stdout;
}
