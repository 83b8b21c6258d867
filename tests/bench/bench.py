#!/usr/bin/python3
"""Times passerelle-cli against OpenSSH sftp and scp, curl (libssh2), rclone,
lftp and a raw libssh2 channel running cat, in the same run, against the same
local sshd, at 0 ms and at 40 ms round trip (delay-relay.py). Prints a table
of medians and ratios and writes it to docs/benchmarks.md.

Run by tests/bench/run, which starts the server (tests/fixtures/passerelle-demo)
and passes its address, key and known_hosts here."""
import argparse
import re
import base64
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# passerelle: the shipped build (our libssh2, subprojects/libssh2);
# passerelle-1.10: the same client linked with Debian 12's system libssh2.
TOOLS = ['passerelle', 'passerelle-1.10', 'sftp', 'scp', 'curl', 'rclone', 'lftp', 'raw-libssh2']


class Bench:
    def __init__(self, args):
        self.a = args
        self.work = tempfile.mkdtemp(prefix='pas-bench-')
        self.remote = os.path.join(args.dir, 'bench')
        self.local = os.path.join(self.work, 'local')
        self.out = os.path.join(self.work, 'out')
        os.makedirs(self.remote, exist_ok=True)
        os.makedirs(self.local, exist_ok=True)
        with open(args.known_hosts) as f:
            self.kh_lines = [line for line in f if line.strip()]
        self.relay = None
        self.results = {}   # (case, rtt) -> {tool: (median seconds, max rss KiB) or str}
        self.ops = {}       # (case, rtt) -> op

    # ---- the link ------------------------------------------------------------

    def known_hosts_for(self, port):
        path = os.path.join(self.work, 'known_hosts_%d' % port)
        with open(path, 'w') as f:
            for line in self.kh_lines:
                f.write(line.replace(']:%d ' % self.a.port, ']:%d ' % port))
        return path

    def start_relay(self, delay_ms):
        self.relay = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'delay-relay.py'),
                                       str(self.a.port), str(delay_ms)], stdout=subprocess.PIPE, text=True)
        line = self.relay.stdout.readline().split()
        return int(line[1])

    def stop_relay(self):
        if self.relay:
            self.relay.kill()
            self.relay.wait()
            self.relay = None

    # ---- commands ------------------------------------------------------------

    def host_sha256(self):
        blob = base64.b64decode(self.kh_lines[0].split()[2])
        return base64.b64encode(hashlib.sha256(blob).digest()).decode()

    def ssh_opts(self, kh):
        return ['-i', self.a.key, '-o', 'UserKnownHostsFile=' + kh, '-o', 'BatchMode=yes',
                '-o', 'StrictHostKeyChecking=yes']

    def command(self, tool, op, port, kh, src, dst):
        """argv (and stdin text) for @tool doing @op: get, put, tree-get, tree-put, list."""
        url = 'sftp://root@127.0.0.1:%d' % port
        target = 'root@127.0.0.1'
        if tool in ('passerelle', 'passerelle-1.10'):
            if tool == 'passerelle-1.10' and not self.a.cli_system:
                return None, None
            cli = self.a.cli if tool == 'passerelle' else self.a.cli_system
            base = [cli, '-q', '-i', self.a.key, '--known-hosts', kh, '--batch']
            if op == 'get':
                return base + ['get', url + src, dst], None
            if op == 'put':
                return base + ['put', src, url + dst], None
            if op == 'tree-get':
                return base + ['get', '-r', url + src, dst], None
            if op == 'tree-put':
                return base + ['put', '-r', src, url + dst], None
            return base + ['ls', url + src], None
        if tool == 'sftp':
            base = ['sftp', '-q', '-P', str(port)] + self.ssh_opts(kh) + ['-b', '-', target]
            batch = {'get': 'get %s %s' % (src, dst), 'put': 'put %s %s' % (src, dst),
                     'tree-get': 'get -r %s %s' % (src, dst), 'tree-put': 'put -r %s %s' % (src, dst),
                     'list': 'ls -1 %s' % src}[op]
            return base, batch + '\n'
        if tool == 'scp':
            if op == 'list':
                return None, None
            base = ['scp', '-q', '-P', str(port)] + self.ssh_opts(kh)
            if op in ('get', 'tree-get'):
                return base + (['-r'] if op == 'tree-get' else []) + ['%s:%s' % (target, src), dst], None
            return base + (['-r'] if op == 'tree-put' else []) + [src, '%s:%s' % (target, dst)], None
        if tool == 'curl':
            base = ['curl', '-sS', '--key', self.a.key, '--pubkey', self.a.key + '.pub',
                    '--hostpubsha256', self.host_sha256()]
            if op == 'get':
                return base + ['-o', dst, url + src], None
            if op == 'put':
                return base + ['-T', src, url + dst], None
            if op == 'list':
                return base + ['-o', '/dev/null', url + src + '/'], None
            return None, None   # curl does not copy folders
        if tool == 'rclone':
            remote = ':sftp,host=127.0.0.1,port=%d,user=root,key_file=%s,known_hosts_file=%s,shell_type=none:' % (
                port, self.a.key, kh)
            base = ['rclone', '--config', '/dev/null', '--sftp-disable-hashcheck', '-q']
            if op == 'get':
                return base + ['copyto', remote + src, dst], None
            if op == 'put':
                return base + ['copyto', src, remote + dst], None
            if op == 'tree-get':
                return base + ['copy', remote + src, dst], None
            if op == 'tree-put':
                return base + ['copy', src, remote + dst], None
            return base + ['lsf', remote + src], None
        if tool == 'lftp':
            connect = "set sftp:connect-program 'ssh -a -x %s'; set net:max-retries 1; open -u root, -p %d sftp://127.0.0.1; " % (
                ' '.join(self.ssh_opts(kh)), port)
            script = {'get': 'get %s -o %s' % (src, dst), 'put': 'put %s -o %s' % (src, dst),
                      'tree-get': 'mirror %s %s' % (src, dst), 'tree-put': 'mirror -R %s %s' % (src, dst),
                      'list': 'nlist %s' % src}[op]
            return ['lftp', '-c', connect + script], None
        if tool == 'raw-libssh2':
            if op not in ('get', 'put'):
                return None, None
            return [self.a.raw, op, '127.0.0.1', str(port), 'root', self.a.key, src if op == 'get' else dst,
                    dst if op == 'get' else src], None
        raise ValueError(tool)

    def time_once(self, argv, stdin):
        tfile = os.path.join(self.work, 'time')
        start = time.monotonic()
        p = subprocess.run(['/usr/bin/time', '-f', '%M', '-o', tfile] + argv, input=stdin, text=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=self.a.timeout)
        elapsed = time.monotonic() - start
        with open(tfile) as f:
            rss = int(f.read().strip().splitlines()[-1])
        if p.returncode != 0:
            raise RuntimeError('exit %d: %s' % (p.returncode, p.stderr.strip()[-300:]))
        return elapsed, rss

    # ---- cases ---------------------------------------------------------------

    def reset(self, path):
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.exists(path):
            os.unlink(path)

    def make_file(self, path, size):
        if os.path.exists(path) and os.path.getsize(path) == size:
            return
        with open(path, 'wb') as f:
            left = size
            while left:
                n = min(left, 8 << 20)
                f.write(os.urandom(n))
                left -= n

    def make_tree(self, path, count, size):
        if os.path.isdir(path) and len(os.listdir(path)) == count:
            return
        self.reset(path)
        os.makedirs(path)
        for i in range(count):
            with open(os.path.join(path, 'f%05d.dat' % i), 'wb') as f:
                f.write(os.urandom(size))

    def make_listing(self, path, count):
        if os.path.isdir(path) and len(os.listdir(path)) == count:
            return
        self.reset(path)
        os.makedirs(path)
        for i in range(count):
            open(os.path.join(path, 'entry-%05d' % i), 'w').close()

    def check(self, op, dst, expect):
        if op in ('get', 'put'):
            got = os.path.getsize(dst) if os.path.exists(dst) else -1
            if got != expect:
                raise RuntimeError('%s has %d bytes, not %d' % (dst, got, expect))
        elif op in ('tree-get', 'tree-put'):
            found = sum(len(files) for _, _, files in os.walk(dst))
            if found != expect:
                raise RuntimeError('%s holds %d files, not %d' % (dst, found, expect))

    def run_case(self, name, rtt, op, size, runs):
        port = self.a.port if rtt == 0 else self.relay_port
        kh = self.known_hosts_for(port)
        times = {t: [] for t in TOOLS}
        rss = {t: 0 for t in TOOLS}
        failed = {}
        print('%s at %d ms:' % (name, rtt), flush=True)
        for run in range(runs):
            for tool in TOOLS:
                if tool in failed:
                    continue
                src, dst, expect = self.paths(op, tool)
                argv, stdin = self.command(tool, op, port, kh, src, dst)
                if argv is None:
                    failed[tool] = 'n/a'
                    continue
                if dst is not None:
                    self.reset(dst)
                # sftp and scp copy a folder into an existing one
                if op == 'tree-get' and tool in ('sftp', 'scp'):
                    os.makedirs(dst)
                try:
                    seconds, kib = self.time_once(argv, stdin)
                    self.check(op, dst, expect)
                except subprocess.TimeoutExpired:
                    failed[tool] = 'over %d s' % self.a.timeout
                    print('  %-12s timed out' % tool, flush=True)
                    continue
                except RuntimeError as e:
                    failed[tool] = 'failed'
                    print('  %-12s FAILED: %s' % (tool, e), flush=True)
                    continue
                times[tool].append(seconds)
                rss[tool] = max(rss[tool], kib)
                print('  %-12s %8.2f s  %7d KiB' % (tool, seconds, kib), flush=True)
                # Slow tools are timed once at high latency: minutes each.
                if seconds > self.a.slow and run == 0:
                    failed.setdefault(tool + '#once', True)
            for tool in TOOLS:
                if failed.pop(tool + '#once', None):
                    failed[tool] = None
        self.ops[(name, rtt)] = op
        self.results[(name, rtt)] = {t: (statistics.median(times[t]), rss[t], len(times[t])) if times[t]
                                     else failed.get(t) or 'failed' for t in TOOLS}

    def paths(self, op, tool):
        big = os.path.join(self.remote, 'big-%d' % self.size)
        tree = os.path.join(self.remote, 'tree')
        if op == 'get':
            return big, os.path.join(self.out, 'big'), self.size
        if op == 'put':
            return os.path.join(self.local, 'big-%d' % self.size), os.path.join(self.remote, 'up-big'), self.size
        if op == 'tree-get':
            return tree, os.path.join(self.out, 'tree'), self.a.files
        if op == 'tree-put':
            return os.path.join(self.local, 'tree'), os.path.join(self.remote, 'up-tree'), self.a.files
        return os.path.join(self.remote, 'listing'), None, self.a.entries

    def prepare(self, size):
        self.size = size
        self.make_file(os.path.join(self.remote, 'big-%d' % size), size)
        self.make_file(os.path.join(self.local, 'big-%d' % size), size)

    def run(self):
        os.makedirs(self.out, exist_ok=True)
        print('preparing files…', flush=True)
        self.make_tree(os.path.join(self.remote, 'tree'), self.a.files, 8192)
        self.make_tree(os.path.join(self.local, 'tree'), self.a.files, 8192)
        self.make_listing(os.path.join(self.remote, 'listing'), self.a.entries)
        # the put destinations must start empty: reset() handles them per run
        for rtt in self.a.rtts:
            if rtt:
                self.relay_port = self.start_relay(rtt // 2)
            size = self.a.big if rtt == 0 else self.a.big_latency
            self.prepare(size)
            label = '%s file' % human(size)
            runs = self.a.runs
            self.run_case('get ' + label, rtt, 'get', size, runs)
            self.run_case('put ' + label, rtt, 'put', size, runs)
            self.run_case('get -r %d × 8 KiB' % self.a.files, rtt, 'tree-get', 0, runs)
            self.run_case('put -r %d × 8 KiB' % self.a.files, rtt, 'tree-put', 0, runs)
            self.run_case('list %d entries' % self.a.entries, rtt, 'list', 0, runs)
            self.stop_relay()
        shutil.rmtree(self.work, ignore_errors=True)
        self.reset(os.path.join(self.remote, 'up-big'))
        self.reset(os.path.join(self.remote, 'up-tree'))

    # ---- report --------------------------------------------------------------

    def table(self):
        lines = ['| case | RTT | ' + ' | '.join(TOOLS) + ' |', '|---|---|' + '---|' * len(TOOLS)]
        for (name, rtt), row in self.results.items():
            ours = row['passerelle']
            cells = []
            for tool in TOOLS:
                r = row[tool]
                if isinstance(r, str):
                    cells.append(r)
                elif tool == 'passerelle':
                    cells.append('**%.2f s**' % r[0])
                elif isinstance(ours, tuple):
                    cells.append('%.2f s (%.2f×)' % (r[0], r[0] / ours[0]))
                else:
                    cells.append('%.2f s' % r[0])
            lines.append('| %s | %d ms | %s |' % (name, rtt, ' | '.join(cells)))
        return '\n'.join(lines)

    def adopt_row(self, line):
        """Takes a table row of an earlier report back into the results."""
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        name, rtt = cells[0], int(cells[1].split()[0])
        op = ('tree-get' if name.startswith('get -r') else 'tree-put' if name.startswith('put -r')
              else 'get' if name.startswith('get') else 'put' if name.startswith('put') else 'list')
        row = {}
        for tool, cell in zip(TOOLS, cells[2:]):
            try:
                row[tool] = (float(cell.strip('*').split()[0]), 0, 1)
            except ValueError:
                row[tool] = cell
        self.results[(name, rtt)] = row
        self.ops[(name, rtt)] = op

    def targets(self):
        """The issue's targets, each with the measured ratio and a verdict."""
        def median(op, rtt, tool):
            for key, row in self.results.items():
                if self.ops.get(key) == op and key[1] == rtt and isinstance(row[tool], tuple):
                    return row[tool][0]
            return None

        lines = []

        def check(text, value, goal, higher_is_better=True):
            if value is None:
                lines.append('- %s: not measured in this run' % text)
                return
            met = value >= goal if higher_is_better else value <= goal
            lines.append('- %s: **%.2f** (target %s %.2f) — %s' % (text, value, '≥' if higher_is_better else '≤',
                                                                 goal, 'met' if met else 'not met'))

        def ratio(a, b):
            return a / b if a is not None and b is not None else None

        for op in ('get', 'put'):
            ours, sftp, raw = median(op, 0, 'passerelle'), median(op, 0, 'sftp'), median(op, 0, 'raw-libssh2')
            check('%s big file at 0 ms, time ÷ sftp\'s' % op, ratio(ours, sftp), 1.0, False)
            check('%s big file at 0 ms, throughput ÷ raw libssh2 channel\'s' % op, ratio(raw, ours), 0.9)
            check('%s big file at 40 ms, sftp\'s time ÷ ours' % op,
                  ratio(median(op, 40, 'sftp'), median(op, 40, 'passerelle')), 3.0)
        for op in ('tree-get', 'tree-put'):
            check('%s at 0 ms, sftp -r\'s time ÷ ours' % op,
                  ratio(median(op, 0, 'sftp'), median(op, 0, 'passerelle')), 5.0)
            check('%s at 40 ms, sftp -r\'s time ÷ ours' % op,
                  ratio(median(op, 40, 'sftp'), median(op, 40, 'passerelle')), 20.0)
        check('peak RSS of passerelle-cli, MiB', self.rss_line() / 1024, 64, False)
        return '\n'.join(lines)

    def rss_line(self):
        worst = max((row['passerelle'][1] for row in self.results.values()
                     if isinstance(row['passerelle'], tuple)), default=0)
        return worst


GAPS_HEADING = '## Where targets are not met, and why'


def replace_section(output, title, begin, end, section):
    """Writes @section (from @title, holding the @begin…@end markers) into
    @output in place of the earlier one, or at its end; the rest stays."""
    text = open(output).read() if os.path.exists(output) else ''
    if begin in text:
        start = text.rindex(title, 0, text.index(begin))
        stop = text.index(end) + len(end)
        text = text[:start] + section.rstrip('\n') + text[stop:]
    else:
        text = text.rstrip('\n') + '\n\n' + section
    with open(output, 'w') as f:
        f.write(text)


def human(n):
    for unit in ('B', 'KiB', 'MiB', 'GiB'):
        if n < 1024 or unit == 'GiB':
            return '%d %s' % (n, unit) if n == int(n) else '%.1f %s' % (n, unit)
        n /= 1024


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--cli', required=True)
    p.add_argument('--raw', required=True)
    p.add_argument('--cli-system', help='passerelle-cli linked with the system libssh2')
    p.add_argument('--port', type=int, required=True)
    p.add_argument('--key', required=True)
    p.add_argument('--known-hosts', required=True)
    p.add_argument('--dir', required=True)
    p.add_argument('--output', required=True)
    p.add_argument('--runs', type=int, default=3)
    p.add_argument('--big', type=int, default=1 << 30)
    p.add_argument('--big-latency', type=int, default=256 << 20)
    p.add_argument('--files', type=int, default=2000)
    p.add_argument('--entries', type=int, default=50000)
    p.add_argument('--rtts', type=int, nargs='+', default=[0, 40])
    p.add_argument('--timeout', type=int, default=900)
    p.add_argument('--slow', type=float, default=60.0, help='time a tool once when its first run takes longer')
    args = p.parse_args()

    bench = Bench(args)
    try:
        bench.run()
    finally:
        bench.stop_relay()
    table = bench.table()
    # Rows of round trips not measured this time are kept from the last report
    # (run "--rtts 0" again without redoing the hour at 40 ms).
    if os.path.exists(args.output):
        with open(args.output) as f:
            # Only the main table's rows: the jump-host and responsiveness
            # tables further down are written by others, or by hand.
            main_table = f.read().split('\n\n## ')[0]
            kept = [line for line in main_table.split('\n')
                    if line.startswith('| ') and not line.startswith('| case') and
                    re.search(r'\| \d+ ms \|', line) and
                    not any('| %d ms |' % rtt in line for rtt in args.rtts)]
        if kept:
            table += '\n' + '\n'.join(kept)
            for line in kept:
                bench.adopt_row(line)
    # The hand-written analysis of the gaps stays across runs.
    analysis = ''
    if os.path.exists(args.output):
        with open(args.output) as f:
            old = f.read()
        if GAPS_HEADING in old:
            analysis = old[old.index(GAPS_HEADING):]
    print()
    print(table)
    with open(args.output, 'w') as f:
        f.write(REPORT_HEAD.format(date=time.strftime('%Y-%m-%d'), cpu=cpu_name(), cores=os.cpu_count(),
                                   kernel=platform.release(), runs=args.runs, versions=versions()))
        f.write(table + '\n\n')
        f.write('Peak RSS of passerelle-cli over all cases: %d MiB.\n' % (bench.rss_line() // 1024))
        f.write('\n## Targets (this run)\n\n' + bench.targets() + '\n')
        f.write('\n' + REPORT_NOTES)
        if analysis:
            f.write('\n' + analysis)
    print('\nwritten to', args.output)


def cpu_name():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def versions():
    out = []
    for argv in (['ssh', '-V'], ['curl', '--version'], ['rclone', 'version'], ['lftp', '--version']):
        try:
            p = subprocess.run(argv, capture_output=True, text=True)
            out.append((p.stdout or p.stderr).splitlines()[0].strip())
        except OSError:
            out.append(argv[0] + ': missing')
    return '; '.join(out)


REPORT_HEAD = '''# Benchmarks

Generated by `tests/bench/run` on {date}: {cpu}, {cores} cores, Linux {kernel}.
Every tool ran against the same OpenSSH sshd on 127.0.0.1, in the same run,
interleaved, {runs} runs each (median shown; a tool whose first run took over a
minute was timed once). "×" is the other tool's time divided by Passerelle's:
above 1, Passerelle is faster. 40 ms RTT is a userspace relay that delays each
direction by 20 ms (`tests/bench/delay-relay.py`). Default settings for every
tool. {versions}.

'''

REPORT_NOTES = '''`passerelle` is the build we ship, on our libssh2 (Debian 13's 1.11.1 with
its security patches and ours: whole packets handed to OpenSSL in one call;
AES-CTR preferred); `passerelle-1.10` is the same client linked with Debian
12's system libssh2 1.10 (`-Dlibssh2=system`). raw-libssh2 is
`tests/bench/raw-channel.c` on our libssh2, running `cat` on one channel with
a 16 MiB window and TCP_NODELAY, no SFTP at all — the ceiling for any client
built on it (with aes128-ctr, as Passerelle agrees with OpenSSH).
'''


if __name__ == '__main__':
    main()
