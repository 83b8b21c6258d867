/* Jump hosts against real sshd chains on 127.0.0.1: one hop, two hops, a
 * ProxyCommand (OpenSSH's own ssh -W), each hop's host key checked on its
 * own (unknown: asked; changed: refused), a broken jump that never falls
 * back to a direct connection (the target's log shows nobody came), a jump
 * host that refuses to forward, cancelling during each hop, and files
 * carried byte for byte through the chain. The jump sshd logs at DEBUG1, so
 * its server_request_direct_tcpip line proves the way the bytes went. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

static PasTestSshd *jump1;
static PasTestSshd *jump2;
static PasTestSshd *target;
static char *dir;

static const char *debug_config[] = { "LogLevel DEBUG1", NULL };

static void
host_block (GString     *out,
            const char  *alias,
            PasTestSshd *sshd,
            guint16      port,
            const char  *known_hosts,
            const char  *extra)
{
  g_string_append_printf (out,
                          "Host %s\n"
                          "  HostName 127.0.0.1\n"
                          "  Port %u\n"
                          "  User %s\n"
                          "  IdentityFile %s\n"
                          "  IdentitiesOnly yes\n"
                          "  UserKnownHostsFile %s\n"
                          "  BatchMode yes\n"
                          "%s",
                          alias, port != 0 ? port : pas_test_sshd_get_port (sshd), pas_test_sshd_get_user (sshd),
                          pas_test_sshd_get_user_key (sshd),
                          known_hosts != NULL ? known_hosts : pas_test_sshd_get_known_hosts (sshd),
                          extra != NULL ? extra : "");
}

/* A free port with nobody listening. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static char *
write_config (const char *extra_hosts)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char *path = g_build_filename (dir, "ssh_config", NULL);
  g_autofree char *empty_kh = g_build_filename (dir, "empty_known_hosts", NULL);
  g_autofree char *wrong_kh = g_build_filename (dir, "wrong_known_hosts", NULL);
  g_autofree char *target_line = NULL;
  g_autofree char *kh = NULL;

  /* jump1's port with target's key: what a reinstalled jump host looks like. */
  g_assert_true (g_file_get_contents (pas_test_sshd_get_known_hosts (target), &kh, NULL, NULL));
  target_line = g_strdup_printf ("[127.0.0.1]:%u %s", pas_test_sshd_get_port (jump1), strchr (kh, ' ') + 1);
  g_assert_true (g_file_set_contents (wrong_kh, target_line, -1, NULL));
  g_assert_true (g_file_set_contents (empty_kh, "", 0, NULL));

  host_block (text, "jump1", jump1, 0, NULL, NULL);
  host_block (text, "jump2", jump2, 0, NULL, NULL);
  host_block (text, "jump1-unknown", jump1, 0, empty_kh, NULL);
  host_block (text, "jump1-changed", jump1, 0, wrong_kh, NULL);
  host_block (text, "jump-closed", jump1, closed_port (), NULL, NULL);
  host_block (text, "target-1", target, 0, NULL, "  ProxyJump jump1\n");
  host_block (text, "target-2", target, 0, NULL, "  ProxyJump jump1,jump2\n");
  host_block (text, "target-unknown-hop", target, 0, NULL, "  ProxyJump jump1-unknown\n");
  host_block (text, "target-changed-hop", target, 0, NULL, "  ProxyJump jump1-changed\n");
  host_block (text, "target-broken-hop", target, 0, NULL, "  ProxyJump jump-closed\n");
  {
    g_autofree char *command = g_strdup_printf ("  ProxyCommand ssh -F %s -W %%h:%%p jump1\n", path);
    host_block (text, "target-command", target, 0, NULL, command);
  }
  host_block (text, "target-bad-command", target, 0, NULL,
              "  ProxyCommand sh -c 'echo the proxy says no >&2; exit 3'\n");
  g_string_append (text, extra_hosts != NULL ? extra_hosts : "");
  g_assert_true (g_file_set_contents (path, text->str, -1, NULL));
  return path;
}

static PasConnection *
connection_for (const char         *alias,
                PasTestInteraction *interaction,
                PasDestination    **out)
{
  g_autofree char *config = write_config (NULL);
  g_autoptr(PasResolver) resolver = pas_resolver_new ();
  g_autoptr(PasAddress) address = pas_address_parse (alias, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PasDestination) destination = NULL;
  PasConnection *connection;

  pas_resolver_set_ssh_config (resolver, config);
  destination = pas_resolver_resolve (resolver, address, &error);
  g_assert_no_error (error);
  connection = pas_connection_new_for_destination (destination);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
  pas_connection_set_timeout (connection, 10);
  if (out != NULL)
    *out = g_steal_pointer (&destination);
  return connection;
}

static guint
count (const char *text,
       const char *needle)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, needle)) != NULL; p++)
    n++;
  return n;
}

/* Files both ways through the chain, byte for byte. */
static void
carry_files (PasConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PasSftpSession) sftp = pas_test_open_sftp_on (connection, NULL, &error);
  g_autofree char *local = g_build_filename (dir, "through.bin", NULL);
  g_autofree char *remote = g_build_filename (pas_test_sshd_get_dir (target), "through.bin", NULL);
  g_autofree char *back = g_build_filename (dir, "back.bin", NULL);
  g_autofree guint8 *data = g_malloc (8 * 1024 * 1024);
  g_autofree char *got = NULL;
  gsize len = 0;

  g_assert_no_error (error);
  for (gsize i = 0; i < 8 * 1024 * 1024; i++)
    data[i] = (guint8) (i * 7 + (i >> 13));
  g_assert_true (g_file_set_contents (local, (const char *) data, 8 * 1024 * 1024, NULL));
  for (guint direction = 0; direction < 2; direction++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (direction == 0 ? local : back);
      g_autoptr(PasTransfer) transfer = pas_transfer_new (direction == 0 ? PAS_TRANSFER_UPLOAD : PAS_TRANSFER_DOWNLOAD,
                                                          remote, file);
      g_autoptr(GAsyncResult) result = NULL;
      PasSftpSession *sessions[] = { sftp };

      pas_transfer_run_on_async (transfer, sessions, 1, NULL, pas_test_store_result_cb, &result);
      g_assert_true (pas_transfer_run_on_finish (transfer, pas_test_wait_for (&result), &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_file_get_contents (back, &got, &len, NULL));
  g_assert_cmpuint (len, ==, 8 * 1024 * 1024);
  g_assert_true (memcmp (got, data, len) == 0);
  g_unlink (local);
  g_unlink (back);
  g_unlink (remote);
}

static void
test_one_hop (void)
{
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasDestination) destination = NULL;
  g_autoptr(PasConnection) connection = connection_for ("target-1", interaction, &destination);
  g_autoptr(GError) error = NULL;
  g_autofree char *jump_log = NULL;
  g_autofree char *target_log = NULL;
  g_autofree char *expected = g_strdup_printf ("target 127.0.0.1 port %u", pas_test_sshd_get_port (target));

  g_assert_cmpuint (g_strv_length ((char **) pas_destination_get_jumps (destination)), ==, 1);
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (pas_connection_get_jump (connection));
  g_assert_true (pas_connection_is_connected (pas_connection_get_jump (connection)));
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 0);
  carry_files (connection);

  jump_log = pas_test_sshd_wait_for_log (jump1, "server_request_direct_tcpip");
  g_assert_nonnull (strstr (jump_log, expected));
  target_log = pas_test_sshd_wait_for_log (target, "Accepted publickey");
  g_assert_nonnull (strstr (target_log, "Accepted publickey"));
}

static void
test_two_hops (void)
{
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = connection_for ("target-2", interaction, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before1 = pas_test_sshd_read_log (jump1);
  g_autofree char *before2 = pas_test_sshd_read_log (jump2);
  g_autofree char *log1 = NULL;
  g_autofree char *log2 = NULL;
  g_autofree char *to_jump2 = g_strdup_printf ("target 127.0.0.1 port %u", pas_test_sshd_get_port (jump2));
  g_autofree char *to_target = g_strdup_printf ("target 127.0.0.1 port %u", pas_test_sshd_get_port (target));

  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
  carry_files (connection);
  /* jump1 opened the way to jump2, and jump2 the way to the target. */
  log1 = pas_test_sshd_wait_for_log (jump1, to_jump2);
  log2 = pas_test_sshd_wait_for_log (jump2, to_target);
  g_assert_cmpuint (count (log1, to_jump2), >, count (before1, to_jump2));
  g_assert_cmpuint (count (log2, to_target), >, count (before2, to_target));
}

static void
test_proxy_command (void)
{
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasDestination) destination = NULL;
  g_autoptr(PasConnection) connection = connection_for ("target-command", interaction, &destination);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = pas_test_sshd_read_log (jump1);
  g_autofree char *log = NULL;
  g_autofree char *expected = g_strdup_printf ("target 127.0.0.1 port %u", pas_test_sshd_get_port (target));

  g_assert_nonnull (strstr (pas_destination_get_proxy_command (destination), " -W 127.0.0.1:"));
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
  carry_files (connection);
  log = pas_test_sshd_wait_for_log (jump1, expected);
  g_assert_cmpuint (count (log, expected), >, count (before, expected));
}

static void
test_bad_proxy_command (void)
{
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = connection_for ("target-bad-command", interaction, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "status 3"));
  g_assert_nonnull (strstr (error->message, "the proxy says no"));
}

/* The hop's own key is checked against its own known_hosts: a new one is
 * asked about (as the jump host, not the target), then the target's. */
static void
test_unknown_hop_key (void)
{
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = connection_for ("target-unknown-hop", interaction, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *jump_address = g_strdup_printf ("127.0.0.1:%u", pas_test_sshd_get_port (jump1));

  interaction->host_key_decision = PAS_HOST_KEY_DECISION_ACCEPT_ONCE;
  g_assert_true (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 1);
  g_assert_cmpint (interaction->last_status, ==, PAS_HOST_KEY_STATUS_NEW);
  g_assert_cmpstr (interaction->last_host_key_host, ==, jump_address);
}

/* Whatever happens at a hop, the target sees no connection from us. */
static void
assert_target_untouched (const char *before)
{
  g_autofree char *after = NULL;

  g_usleep (300 * 1000);
  after = pas_test_sshd_read_log (target);
  g_assert_cmpuint (count (after, "Connection from"), ==, count (before, "Connection from"));
}

static void
test_changed_hop_key (void)
{
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = connection_for ("target-changed-hop", interaction, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = pas_test_sshd_read_log (target);
  g_autofree char *name = g_strdup_printf ("127.0.0.1:%u", pas_test_sshd_get_port (jump1));

  interaction->host_key_decision = PAS_HOST_KEY_DECISION_ACCEPT_ONCE;   /* never asked: refused outright */
  g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_HOST_KEY_CHANGED);
  g_assert_nonnull (strstr (error->message, name));
  g_assert_nonnull (strstr (error->message, "jump host"));
  g_assert_cmpuint (interaction->n_host_key_asks, ==, 0);
  assert_target_untouched (before);
}

static void
test_broken_jump (void)
{
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(PasConnection) connection = connection_for ("target-broken-hop", interaction, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = pas_test_sshd_read_log (target);

  g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_CONNECTION_REFUSED);
  g_assert_nonnull (strstr (error->message, "jump host"));
  g_assert_false (pas_connection_is_connected (connection));
  assert_target_untouched (before);
}

/* A jump host that will not forward: the error names it and the target. */
static void
test_jump_refuses (void)
{
  const char *config[] = { "AllowTcpForwarding no", "LogLevel DEBUG1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(PasTestSshd) strict = pas_test_sshd_new (&(PasTestSshdOptions) { .extra_config = config }, &error);
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(GString) extra = g_string_new (NULL);
  g_autoptr(PasResolver) resolver = pas_resolver_new ();
  g_autoptr(PasAddress) address = pas_address_parse ("target-strict", NULL);
  g_autoptr(PasDestination) destination = NULL;
  g_autoptr(PasConnection) connection = NULL;
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  host_block (extra, "strict", strict, 0, NULL, NULL);
  host_block (extra, "target-strict", target, 0, NULL, "  ProxyJump strict\n");
  path = write_config (extra->str);
  pas_resolver_set_ssh_config (resolver, path);
  destination = pas_resolver_resolve (resolver, address, &error);
  g_assert_no_error (error);
  connection = pas_connection_new_for_destination (destination);
  pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
  g_assert_false (pas_test_connect (connection, NULL, NULL, &error));
  g_assert_error (error, PAS_ERROR, PAS_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "could not open a connection to 127.0.0.1"));
}

typedef struct
{
  GCancellable *cancellable;
  guint         asks_before;   /* cancel at the question after this many */
  PasTestInteraction *interaction;
} CancelAt;

static gboolean
cancel_when_asked (gpointer data)
{
  CancelAt *at = data;

  if (at->interaction->n_host_key_asks > at->asks_before)
    {
      g_cancellable_cancel (at->cancellable);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* Cancel while the first hop's question waits, then while the target's
 * does (the hop connected): both end at once, nothing left running. */
static void
test_cancel_during_each_hop (void)
{
  g_autofree char *empty_kh = g_build_filename (dir, "empty_known_hosts", NULL);
  g_autoptr(GString) extra = g_string_new (NULL);

  host_block (extra, "target-all-unknown", target, 0, empty_kh, "  ProxyJump jump1-unknown\n");
  for (guint hop = 0; hop < 2; hop++)
    {
      g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(PasResolver) resolver = pas_resolver_new ();
      g_autoptr(PasAddress) address = pas_address_parse ("target-all-unknown", NULL);
      g_autoptr(PasDestination) destination = NULL;
      g_autoptr(PasConnection) connection = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = write_config (extra->str);
      CancelAt at = { cancellable, hop, interaction };

      pas_resolver_set_ssh_config (resolver, path);
      destination = pas_resolver_resolve (resolver, address, &error);
      g_assert_no_error (error);
      connection = pas_connection_new_for_destination (destination);
      pas_connection_set_interaction (connection, PAS_INTERACTION (interaction));
      /* Questions before the one of hop number @hop are accepted; that one
       * waits until the cancel. */
      interaction->host_key_decision = PAS_HOST_KEY_DECISION_ACCEPT_ONCE;
      interaction->never_answer = hop == 0;
      interaction->hold_host_keys_after = hop;
      g_timeout_add (10, cancel_when_asked, &at);
      g_assert_false (pas_test_connect (connection, cancellable, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (interaction->n_host_key_asks, ==, hop + 1);
      g_assert_false (pas_connection_is_connected (connection));
      g_clear_object (&connection);
      pas_test_wait_for_connection_threads ();
      g_assert_cmpuint (pas_connection_count_running_threads (), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  dir = g_dir_make_tmp ("pas-jump-XXXXXX", NULL);
  jump1 = pas_test_sshd_new (&(PasTestSshdOptions) { .extra_config = debug_config }, &error);
  g_assert_no_error (error);
  jump2 = pas_test_sshd_new (&(PasTestSshdOptions) { .extra_config = debug_config }, &error);
  g_assert_no_error (error);
  target = pas_test_sshd_new (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/jump/one-hop", test_one_hop);
  g_test_add_func ("/jump/two-hops", test_two_hops);
  g_test_add_func ("/jump/proxy-command", test_proxy_command);
  g_test_add_func ("/jump/bad-proxy-command", test_bad_proxy_command);
  g_test_add_func ("/jump/unknown-hop-key", test_unknown_hop_key);
  g_test_add_func ("/jump/changed-hop-key", test_changed_hop_key);
  g_test_add_func ("/jump/broken-jump", test_broken_jump);
  g_test_add_func ("/jump/jump-refuses", test_jump_refuses);
  g_test_add_func ("/jump/cancel-during-each-hop", test_cancel_during_each_hop);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  pas_test_sshd_free (target);
  pas_test_sshd_free (jump2);
  pas_test_sshd_free (jump1);
  pas_test_rm_rf (dir, NULL);
  g_free (dir);
  return ret;
}
