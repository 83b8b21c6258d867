/* raw-channel: the transport ceiling of libssh2 on this machine. Logs in
 * with a key, runs "cat FILE" (download) or "cat > FILE" (upload) on one
 * channel with a 16 MiB window and TCP_NODELAY, and moves the bytes as fast
 * as libssh2 allows, to or from a local file. The benchmark compares
 * passerelle-cli with it: a client on libssh2 cannot beat this number.
 *
 * raw-channel get|put HOST PORT USER KEYFILE REMOTE LOCAL */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <libssh2.h>

#define WINDOW (16 * 1024 * 1024)
#define BUFFER (256 * 1024)

static void
die (const char *what)
{
  fprintf (stderr, "raw-channel: %s\n", what);
  exit (1);
}

int
main (int argc, char **argv)
{
  struct sockaddr_in addr = { 0 };
  LIBSSH2_SESSION *session;
  LIBSSH2_CHANNEL *channel;
  static char buffer[BUFFER];
  char command[4096];
  int sock, fd, one = 1, put;
  ssize_t n;

  if (argc != 8)
    die ("usage: raw-channel get|put HOST PORT USER KEYFILE REMOTE LOCAL");
  put = strcmp (argv[1], "put") == 0;
  addr.sin_family = AF_INET;
  addr.sin_port = htons ((unsigned short) atoi (argv[3]));
  if (inet_pton (AF_INET, argv[2], &addr.sin_addr) != 1)
    die ("HOST must be an IPv4 address");
  sock = socket (AF_INET, SOCK_STREAM, 0);
  if (sock < 0 || connect (sock, (struct sockaddr *) &addr, sizeof addr) != 0)
    die ("cannot connect");
  setsockopt (sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  libssh2_init (0);
  session = libssh2_session_init ();
  /* The cipher Passerelle prefers, so that this is its ceiling. */
  libssh2_session_method_pref (session, LIBSSH2_METHOD_CRYPT_CS, "aes128-ctr");
  libssh2_session_method_pref (session, LIBSSH2_METHOD_CRYPT_SC, "aes128-ctr");
  if (libssh2_session_handshake (session, sock) != 0)
    die ("handshake failed");
  if (libssh2_userauth_publickey_fromfile (session, argv[4], NULL, argv[5], NULL) != 0)
    die ("key login failed");
  channel = libssh2_channel_open_ex (session, "session", 7, WINDOW, LIBSSH2_CHANNEL_PACKET_DEFAULT, NULL, 0);
  if (channel == NULL)
    die ("no channel");
  snprintf (command, sizeof command, put ? "cat > '%s'" : "cat '%s'", argv[6]);
  if (libssh2_channel_exec (channel, command) != 0)
    die ("exec failed");

  fd = put ? open (argv[7], O_RDONLY) : open (argv[7], O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0)
    die ("cannot open the local file");
  if (put)
    {
      while ((n = read (fd, buffer, sizeof buffer)) > 0)
        for (ssize_t done = 0; done < n;)
          {
            ssize_t w = libssh2_channel_write (channel, buffer + done, (size_t) (n - done));
            if (w < 0)
              die ("write failed");
            done += w;
          }
      libssh2_channel_send_eof (channel);
      libssh2_channel_wait_eof (channel);
    }
  else
    while ((n = libssh2_channel_read (channel, buffer, sizeof buffer)) > 0)
      if (write (fd, buffer, (size_t) n) != n)
        die ("local write failed");
  close (fd);
  libssh2_channel_close (channel);
  libssh2_channel_free (channel);
  libssh2_session_disconnect (session, "done");
  libssh2_session_free (session);
  close (sock);
  libssh2_exit ();
  return 0;
}
