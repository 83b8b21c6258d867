#!/usr/bin/python3
"""Mirroring a folder tree: passerelle-cli sync next to rsync -rt over ssh and
lftp mirror, in the same run, against the demo's sshd on loopback (at 0 ms
and, through delay-relay.py, at 40 ms round trip). Three cases per direction:
the first mirror into an empty folder, a second run with nothing to do, and
a run after a tenth of the files changed. Run by tests/bench/run --sync;
writes the "Mirroring a tree" section of docs/benchmarks.md and leaves the
rest of that file as it is."""
import argparse
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import Bench, replace_section  # noqa: E402

TOOLS = ['passerelle', 'rsync', 'lftp']
BEGIN = '<!-- sync: written by tests/bench/sync.py -->'
END = '<!-- /sync -->'


class SyncBench(Bench):
    def sync_command(self, tool, up, port, kh, local, remote):
        if tool == 'passerelle':
            url = 'sftp://root@127.0.0.1:%d%s' % (port, remote)
            base = [self.a.cli, '-q', '--batch', '-i', self.a.key, '--known-hosts', kh, 'sync']
            return base + ([local, url] if up else [url, local]), None
        if tool == 'rsync':
            ssh = 'ssh -p %d %s' % (port, ' '.join(self.ssh_opts(kh)))
            target = 'root@127.0.0.1:%s/' % remote
            return ['rsync', '-rt', '-e', ssh] + ([local + '/', target] if up else [target, local + '/']), None
        connect = "set sftp:connect-program 'ssh -a -x %s'; set net:max-retries 1; open -u root, -p %d sftp://127.0.0.1; " % (
            ' '.join(self.ssh_opts(kh)), port)
        script = 'mirror -R %s %s' % (local, remote) if up else 'mirror %s %s' % (remote, local)
        return ['lftp', '-c', connect + script], None

    def change_tenth(self, path):
        names = sorted(os.listdir(path))
        for name in names[::10]:
            with open(os.path.join(path, name), 'wb') as f:
                f.write(os.urandom(8192 + 1))

    def run_sync_case(self, up, rtt, port, kh):
        source = os.path.join(self.local, 'tree') if up else os.path.join(self.remote, 'tree')
        direction = 'up' if up else 'down'
        times = {(case, t): [] for case in ('first', 'again', 'changed') for t in TOOLS}
        failed = set()
        print('%d files, %s, %d ms:' % (self.a.files, direction, rtt), flush=True)
        for _ in range(self.a.runs):
            for tool in TOOLS:
                if tool in failed:
                    continue
                # Each tool mirrors into its own folder, from the same source.
                mirror = os.path.join(self.out if up is False else self.remote, 'mirror-' + tool)
                local, remote = (source, mirror) if up else (mirror, source)
                self.reset(mirror)
                if not up:
                    os.makedirs(mirror)
                argv, stdin = self.sync_command(tool, up, port, kh, local, remote)
                try:
                    for case in ('first', 'again', 'changed'):
                        if case == 'changed':
                            self.change_tenth(source)
                        seconds, _ = self.time_once(argv, stdin)
                        self.check('tree-get', mirror, self.a.files)
                        times[(case, tool)].append(seconds)
                        print('  %-10s %-8s %8.2f s' % (tool, case, seconds), flush=True)
                except Exception as e:  # a failing tool is reported, the others go on
                    failed.add(tool)
                    print('  %-10s FAILED: %s' % (tool, e), flush=True)
        for case in ('first', 'again', 'changed'):
            self.results[('%s, %s' % (direction, case), rtt)] = {
                t: statistics.median(times[(case, t)]) if times[(case, t)] else 'failed' for t in TOOLS}

    def run(self):
        os.makedirs(self.out, exist_ok=True)
        self.make_tree(os.path.join(self.remote, 'tree'), self.a.files, 8192)
        self.make_tree(os.path.join(self.local, 'tree'), self.a.files, 8192)
        for rtt in self.a.rtts:
            port = self.start_relay(rtt // 2) if rtt else self.a.port
            kh = self.known_hosts_for(port)
            self.run_sync_case(True, rtt, port, kh)
            self.run_sync_case(False, rtt, port, kh)
            self.stop_relay()
        for tool in TOOLS:
            shutil.rmtree(os.path.join(self.remote, 'mirror-' + tool), ignore_errors=True)

    def section(self):
        lines = ['## Mirroring a tree', '', BEGIN, '',
                 '%d files of 8 KiB in one folder: `passerelle-cli sync`, `rsync -rt` over ssh (rsync on the'
                 % self.a.files,
                 'server too), `lftp mirror` (`-R` up). "first": into an empty folder; "again": nothing changed;',
                 '"changed": a tenth of the source files rewritten one byte longer. Median of %d runs; ratios'
                 % self.a.runs,
                 'are time / passerelle\'s (above 1: slower than us).', '',
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
    p.add_argument('--files', type=int, default=2000)
    p.add_argument('--rtts', type=int, nargs='+', default=[0, 40])
    p.add_argument('--timeout', type=int, default=900)
    args = p.parse_args()

    bench = SyncBench(args)
    try:
        bench.run()
    finally:
        bench.stop_relay()
    section = bench.section()
    print()
    print(section)
    replace_section(args.output, '## Mirroring a tree', BEGIN, END, section)
    print('\nwritten to', args.output)


if __name__ == '__main__':
    main()
