/* PasServer, the connection the tabs, the queue and Test Connection share:
 * callers join one connect; one caller's cancel does not stop the others';
 * the last caller's does; the queue gets the server's channels when it is
 * connected and loses them when it is not; a lost connection reaches every
 * view at once. Against a real sshd. */
#include "config.h"

#include <string.h>

#include "pas-engine.h"
#include "pas-test-interaction.h"
#include "pas-test-sshd.h"

static PasTestSshd *sshd;

static PasServer *
server_new (void)
{
  g_autoptr(PasResolver) resolver = pas_resolver_new ();
  g_autofree char *text = g_strdup_printf ("%s@127.0.0.1:%u", pas_test_sshd_get_user (sshd),
                                           pas_test_sshd_get_port (sshd));
  g_autoptr(PasAddress) address = pas_address_parse (text, NULL);
  g_autoptr(PasDestination) destination = NULL;
  g_autoptr(GError) error = NULL;

  pas_resolver_set_ssh_config (resolver, "none");
  pas_resolver_set_identity_files (resolver, (const char *[]) { pas_test_sshd_get_user_key (sshd), NULL });
  pas_resolver_set_known_hosts (resolver, pas_test_sshd_get_known_hosts (sshd));
  destination = pas_resolver_resolve (resolver, address, &error);
  g_assert_no_error (error);
  return pas_server_new (destination);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} Result;

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Result *r = data;

  r->ok = pas_server_connect_finish (PAS_SERVER (source), result, &r->error);
  r->done = TRUE;
}

static void
wait_done (Result *r)
{
  while (!r->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_shared_connect (void)
{
  g_autoptr(PasServer) server = server_new ();
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(GCancellable) quitter = g_cancellable_new ();
  g_autoptr(PasTransferQueue) queue = pas_transfer_queue_new (NULL);
  Result a = { 0 }, b = { 0 }, c = { 0 };

  pas_server_set_queue (server, queue);
  g_assert_cmpint (pas_server_get_state (server), ==, PAS_SERVER_DISCONNECTED);
  pas_server_connect_async (server, PAS_INTERACTION (interaction), NULL, connected_cb, &a);
  pas_server_connect_async (server, PAS_INTERACTION (interaction), quitter, connected_cb, &b);
  g_assert_cmpint (pas_server_get_state (server), ==, PAS_SERVER_CONNECTING);
  /* One of two callers gives up: the other still gets its connection. */
  g_cancellable_cancel (quitter);
  wait_done (&b);
  g_assert_false (b.ok);
  g_assert_error (b.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  wait_done (&a);
  g_assert_no_error (a.error);
  g_assert_true (a.ok);
  g_assert_cmpint (pas_server_get_state (server), ==, PAS_SERVER_CONNECTED);
  g_assert_nonnull (pas_server_get_home (server));
  g_assert_nonnull (pas_server_get_connection (server));

  /* Once connected, a connect answers at once, on the same connection. */
  pas_server_connect_async (server, PAS_INTERACTION (interaction), NULL, connected_cb, &c);
  wait_done (&c);
  g_assert_true (c.ok);

  /* The queue's channels for this server. */
  g_assert_cmpstr (pas_server_get_key (server), ==,
                   pas_destination_get_key (pas_server_get_destination (server)));
  while (pas_transfer_queue_count_sessions (queue, pas_server_get_key (server)) < 2)
    g_main_context_iteration (NULL, TRUE);

  pas_server_disconnect (server);
  g_assert_cmpint (pas_server_get_state (server), ==, PAS_SERVER_DISCONNECTED);
  g_assert_cmpuint (pas_transfer_queue_count_sessions (queue, pas_server_get_key (server)), ==, 0);
  g_clear_error (&b.error);
}

/* The only caller cancels: the connect stops, and starts again later. */
static void
test_last_caller_cancels (void)
{
  g_autoptr(PasServer) server = server_new ();
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result a = { 0 }, b = { 0 };

  pas_server_connect_async (server, PAS_INTERACTION (interaction), cancellable, connected_cb, &a);
  g_cancellable_cancel (cancellable);
  wait_done (&a);
  g_assert_error (a.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (pas_server_get_state (server), ==, PAS_SERVER_DISCONNECTED);
  pas_server_connect_async (server, PAS_INTERACTION (interaction), NULL, connected_cb, &b);
  wait_done (&b);
  g_assert_true (b.ok);
  g_clear_error (&a.error);
  pas_server_disconnect (server);
}

static void
state_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    data)
{
  (*(guint *) data)++;
}

/* A view found the connection gone: everyone hears it; reconnecting works. */
static void
test_report_lost (void)
{
  g_autoptr(PasServer) server = server_new ();
  g_autoptr(PasTestInteraction) interaction = pas_test_interaction_new ();
  g_autoptr(GError) lost = g_error_new_literal (PAS_ERROR, PAS_ERROR_DISCONNECTED,
                                                "The connection to the server was lost");
  Result a = { 0 }, b = { 0 };
  guint notified = 0;

  pas_server_connect_async (server, PAS_INTERACTION (interaction), NULL, connected_cb, &a);
  wait_done (&a);
  g_assert_true (a.ok);
  g_signal_connect (server, "notify::state", G_CALLBACK (state_cb), &notified);
  pas_server_report_lost (server, lost);
  g_assert_cmpint (pas_server_get_state (server), ==, PAS_SERVER_FAILED);
  g_assert_error (pas_server_get_error (server), PAS_ERROR, PAS_ERROR_DISCONNECTED);
  g_assert_null (pas_server_get_connection (server));
  g_assert_cmpuint (notified, ==, 1);
  pas_server_connect_async (server, PAS_INTERACTION (interaction), NULL, connected_cb, &b);
  wait_done (&b);
  g_assert_true (b.ok);
  g_assert_null (pas_server_get_error (server));
  pas_server_disconnect (server);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  sshd = pas_test_sshd_new (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/server/shared-connect", test_shared_connect);
  g_test_add_func ("/server/last-caller-cancels", test_last_caller_cancels);
  g_test_add_func ("/server/report-lost", test_report_lost);

  ret = g_test_run ();
  pas_test_wait_for_connection_threads ();
  pas_test_sshd_free (sshd);
  return ret;
}
