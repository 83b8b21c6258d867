#!/usr/bin/python3
"""Throughput through one jump host: passerelle-cli next to OpenSSH sftp and
scp, each reaching the server through a jump host (ProxyJump), in the same
run, at 0 ms and at 40 ms round trip between the client and the jump host
(delay-relay.py; the jump host reaches the server over loopback, as a bastion
reaches the machines behind it). Both clients read the same ssh_config file,
so the jump host's own settings apply to it as ssh applies them.

The jump host and the server are the same local sshd (the demo's): the jump
opens a direct-tcpip channel to 127.0.0.1 at its own port. Run by
tests/bench/run --jump; writes the "Through a jump host" section of
docs/benchmarks.md and leaves the rest of that file as it is."""
import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Bench, human, replace_section  # noqa: E402

TOOLS = ['passerelle', 'sftp', 'scp']
BEGIN = '<!-- jump: written by tests/bench/jump.py -->'
END = '<!-- /jump -->'


class JumpBench(Bench):
    def config_for(self, jump_port):
        """An ssh_config with the jump host and the server behind it."""
        kh = os.path.join(self.work, 'known_hosts_jump')
        with open(kh, 'w') as f:
            for port in {self.a.port, jump_port}:
                for line in self.kh_lines:
                    f.write(line.replace(']:%d ' % self.a.port, ']:%d ' % port))
        path = os.path.join(self.work, 'ssh_config_%d' % jump_port)
        common = ('  HostName 127.0.0.1\n  User root\n  IdentityFile %s\n  IdentitiesOnly yes\n'
                  '  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  BatchMode yes\n' % (self.a.key, kh))
        with open(path, 'w') as f:
            f.write('Host bastion\n  Port %d\n%s' % (jump_port, common))
            f.write('Host behind\n  Port %d\n  ProxyJump bastion\n%s' % (self.a.port, common))
        return path

    def jump_command(self, tool, op, config, src, dst):
        if tool == 'passerelle':
            base = [self.a.cli, '-q', '-F', config, '--batch']
            if op == 'get':
                return base + ['get', 'sftp://behind' + src, dst], None
            return base + ['put', src, 'sftp://behind' + dst], None
        if tool == 'sftp':
            batch = ('get %s %s' if op == 'get' else 'put %s %s') % (src, dst)
            return ['sftp', '-q', '-F', config, '-b', '-', 'behind'], batch + '\n'
        if op == 'get':
            return ['scp', '-q', '-F', config, 'behind:' + src, dst], None
        return ['scp', '-q', '-F', config, src, 'behind:' + dst], None

    def run_jump_case(self, name, rtt, op, runs, config):
        times = {t: [] for t in TOOLS}
        failed = {}
        print('%s through a jump host at %d ms:' % (name, rtt), flush=True)
        for _ in range(runs):
            for tool in TOOLS:
                if tool in failed:
                    continue
                src, dst, expect = self.paths(op, tool)
                argv, stdin = self.jump_command(tool, op, config, src, dst)
                self.reset(dst)
                try:
                    seconds, kib = self.time_once(argv, stdin)
                    self.check(op, dst, expect)
                except Exception as e:  # a failing tool is reported, the others go on
                    failed[tool] = 'failed'
                    print('  %-12s FAILED: %s' % (tool, e), flush=True)
                    continue
                times[tool].append(seconds)
                print('  %-12s %8.2f s  %7d KiB' % (tool, seconds, kib), flush=True)
        self.results[(name, rtt)] = {t: statistics.median(times[t]) if times[t] else failed.get(t, 'failed')
                                     for t in TOOLS}

    def run(self):
        os.makedirs(self.out, exist_ok=True)
        for rtt in self.a.rtts:
            jump_port = self.start_relay(rtt // 2) if rtt else self.a.port
            config = self.config_for(jump_port)
            self.prepare(self.a.big)
            label = human(self.a.big) + ' file'
            self.run_jump_case('get ' + label, rtt, 'get', self.a.runs, config)
            self.run_jump_case('put ' + label, rtt, 'put', self.a.runs, config)
            self.stop_relay()
        self.reset(os.path.join(self.remote, 'up-big'))

    def section(self):
        lines = ['## Through a jump host', '', BEGIN, '',
                 'One hop (`ProxyJump` in the same ssh_config file for every client); the RTT is between',
                 'the client and the jump host. Median of %d runs; ratios are time / passerelle\'s'
                 ' (above 1: slower than us).' % self.a.runs, '',
                 '| case | RTT | ' + ' | '.join(TOOLS) + ' |', '|---|---|' + '---|' * len(TOOLS)]
        for (name, rtt), row in self.results.items():
            ours = row['passerelle']
            cells = []
            for tool in TOOLS:
                r = row[tool]
                if isinstance(r, str):
                    cells.append(r)
                elif tool == 'passerelle':
                    cells.append('**%.2f s**' % r)
                elif isinstance(ours, float):
                    cells.append('%.2f s (%.2f×)' % (r, r / ours))
                else:
                    cells.append('%.2f s' % r)
            lines.append('| %s | %d ms | %s |' % (name, rtt, ' | '.join(cells)))
        lines += ['', END, '']
        return '\n'.join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--cli', required=True)
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--key', required=True)
    p.add_argument('--known-hosts', required=True)
    p.add_argument('--dir', required=True)
    p.add_argument('--output', required=True)
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--big', type=int, default=256 << 20)
    p.add_argument('--rtts', type=int, nargs='+', default=[0, 40])
    p.add_argument('--timeout', type=int, default=900)
    args = p.parse_args()

    bench = JumpBench(args)
    try:
        bench.run()
    finally:
        bench.stop_relay()
    section = bench.section()
    print()
    print(section)
    replace_section(args.output, '## Through a jump host', BEGIN, END, section)
    print('\nwritten to', args.output)


if __name__ == '__main__':
    main()
