#!/bin/bash
# The README's demo: passerelle-demo starts a real sshd with a demo folder,
# OpenSSH's sftp lists and downloads from it with the printed key and
# known_hosts, and the server is gone once the command exits.
set -eu
demo=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$demo" -- sh -c '
  set -eu
  printf "ls -1 @DIR@\nget @DIR@/README.txt %s/README.txt\n" "$1" > "$1/batch"
  sftp -F /dev/null -b "$1/batch" -i @KEY@ -o IdentitiesOnly=yes -o BatchMode=yes \
       -o UserKnownHostsFile=@KNOWN_HOSTS@ -o GlobalKnownHostsFile=/dev/null \
       -o StrictHostKeyChecking=yes -P @PORT@ @USER@@127.0.0.1 > "$1/listing"
  echo @PORT@ > "$1/port"
  echo @DIR@ > "$1/dir"
' sh "$work" > "$work/demo.out"

cat "$work/listing"
for name in README.txt Documents Photos Projects big-file.bin "name with spaces.txt"; do
  grep -qF "$name" "$work/listing" || { echo "demo folder lacks $name"; exit 1; }
done
grep -q "Welcome to the Passerelle demo server" "$work/README.txt"
grep -q "^  address:     sftp://" "$work/demo.out"

# Stopping the command stopped the server and removed its files.
port=$(cat "$work/port")
if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
  echo "demo server still listening on $port"; exit 1
fi
[ ! -e "$(cat "$work/dir")" ] || { echo "demo folder left behind"; exit 1; }
echo "demo server ok"
