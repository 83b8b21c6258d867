#include <signal.h>
#include <sys/prctl.h>

#include "pas-test-interaction.h"

G_DEFINE_FINAL_TYPE (PasTestInteraction, pas_test_interaction, PAS_TYPE_INTERACTION)

static void
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      task)
{
  g_task_return_error_if_cancelled (task);
}

static void
hold_until_cancelled (GTask *task)
{
  /* The task is kept alive by the cancellable's handler until it fires. */
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert_nonnull (cancellable);
  g_cancellable_connect (cancellable, G_CALLBACK (task_cancelled_cb),
                         g_object_ref (task), g_object_unref);
}

static void
ask_host_key_async (PasInteraction        *interaction,
                    const PasHostKeyQuery *query,
                    GCancellable          *cancellable,
                    GAsyncReadyCallback    callback,
                    gpointer               user_data)
{
  PasTestInteraction *self = PAS_TEST_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->n_host_key_asks++;
  self->asked_in = g_thread_self ();
  self->last_status = query->status;
  g_free (self->last_host_key_host);
  self->last_host_key_host = g_strdup_printf ("%s:%u", query->host, query->port);
  g_free (self->last_fingerprint);
  self->last_fingerprint = g_strdup (query->fingerprint);
  g_free (self->last_randomart);
  self->last_randomart = g_strdup (query->randomart);

  if (self->never_answer || (self->hold_host_keys_after > 0 && self->n_host_key_asks > self->hold_host_keys_after))
    hold_until_cancelled (task);
  else
    g_task_return_int (task, self->host_key_decision);
}

/* The next scripted secret, or a refusal once the script is spent. */
static void
answer_from_script (GTask      *task,
                    GQueue     *script,
                    const char *what)
{
  char *secret = g_queue_pop_head (script);

  if (secret == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no %s scripted", what);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) pas_secret_free);
}

static void
ask_password_async (PasInteraction         *interaction,
                    const PasPasswordQuery *query,
                    GCancellable           *cancellable,
                    GAsyncReadyCallback     callback,
                    gpointer                user_data)
{
  PasTestInteraction *self = PAS_TEST_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->n_password_asks++;
  self->asked_in = g_thread_self ();
  g_assert_cmpuint (query->attempt, >=, 1);
  g_free (self->last_password_message);
  self->last_password_message = g_strdup (query->message);

  if (self->never_answer)
    {
      hold_until_cancelled (task);
      return;
    }
  answer_from_script (task, &self->passwords, "password");
}

static void
ask_passphrase_async (PasInteraction           *interaction,
                      const PasPassphraseQuery *query,
                      GCancellable             *cancellable,
                      GAsyncReadyCallback       callback,
                      gpointer                  user_data)
{
  PasTestInteraction *self = PAS_TEST_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->n_passphrase_asks++;
  self->asked_in = g_thread_self ();
  g_free (self->last_passphrase_fingerprint);
  self->last_passphrase_fingerprint = g_strdup (query->fingerprint);
  if (self->decline_passphrases)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "You cancelled the login");
  else
    answer_from_script (task, &self->passphrases, "passphrase");
}

static void
ask_prompts_async (PasInteraction        *interaction,
                   const PasPromptsQuery *query,
                   GCancellable          *cancellable,
                   GAsyncReadyCallback    callback,
                   gpointer               user_data)
{
  PasTestInteraction *self = PAS_TEST_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GPtrArray *answers = g_ptr_array_new ();

  self->asked_in = g_thread_self ();
  for (guint i = 0; query->prompts[i] != NULL; i++)
    {
      char *answer = g_queue_pop_head (&self->prompt_answers);

      g_ptr_array_add (self->prompts_seen,
                       g_strdup_printf ("%u:%s:%d", query->round, query->prompts[i], query->echo[i]));
      if (answer == NULL)
        {
          g_ptr_array_free (answers, TRUE);
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no answer scripted");
          return;
        }
      g_ptr_array_add (answers, answer);
    }
  g_ptr_array_add (answers, NULL);
  g_task_return_pointer (task, g_ptr_array_free (answers, FALSE), (GDestroyNotify) g_strfreev);
}

/* Answers from conflict_answers (policy | PAS_CONFLICT_FOR_ALL), later than
 * at once, as a person would; refuses when the script is empty. */
static void
ask_conflict_async (PasInteraction         *interaction,
                    const PasConflictQuery *query,
                    GCancellable           *cancellable,
                    GAsyncReadyCallback     callback,
                    gpointer                user_data)
{
  PasTestInteraction *self = PAS_TEST_INTERACTION (interaction);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  self->n_conflict_asks++;
  g_ptr_array_add (self->conflicts_seen, g_strdup (query->name));
  if (g_queue_is_empty (&self->conflict_answers))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "no answer scripted");
  else
    g_task_return_int (task, GPOINTER_TO_INT (g_queue_pop_head (&self->conflict_answers)));
}

static void
pas_test_interaction_finalize (GObject *object)
{
  PasTestInteraction *self = PAS_TEST_INTERACTION (object);

  g_queue_clear_full (&self->passwords, g_free);
  g_queue_clear_full (&self->prompt_answers, g_free);
  g_queue_clear_full (&self->passphrases, g_free);
  g_free (self->last_passphrase_fingerprint);
  g_free (self->last_fingerprint);
  g_free (self->last_host_key_host);
  g_free (self->last_randomart);
  g_free (self->last_password_message);
  g_ptr_array_unref (self->prompts_seen);
  g_ptr_array_unref (self->conflicts_seen);
  g_queue_clear (&self->conflict_answers);

  G_OBJECT_CLASS (pas_test_interaction_parent_class)->finalize (object);
}

static void
pas_test_interaction_class_init (PasTestInteractionClass *klass)
{
  PasInteractionClass *interaction_class = PAS_INTERACTION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = pas_test_interaction_finalize;
  interaction_class->ask_host_key_async = ask_host_key_async;
  interaction_class->ask_password_async = ask_password_async;
  interaction_class->ask_passphrase_async = ask_passphrase_async;
  interaction_class->ask_prompts_async = ask_prompts_async;
  interaction_class->ask_conflict_async = ask_conflict_async;
}

static void
pas_test_interaction_init (PasTestInteraction *self)
{
  g_queue_init (&self->passwords);
  g_queue_init (&self->prompt_answers);
  g_queue_init (&self->passphrases);
  self->prompts_seen = g_ptr_array_new_with_free_func (g_free);
  self->conflicts_seen = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->conflict_answers);
}

PasTestInteraction *
pas_test_interaction_new (void)
{
  return g_object_new (PAS_TYPE_TEST_INTERACTION, NULL);
}

/* ---- a resolver that never leaves the machine ---------------------------- */

#define PAS_TYPE_TEST_RESOLVER (pas_test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (PasTestResolver, pas_test_resolver, PAS, TEST_RESOLVER, GResolver)

struct _PasTestResolver
{
  GResolver parent_instance;
};

G_DEFINE_FINAL_TYPE (PasTestResolver, pas_test_resolver, G_TYPE_RESOLVER)

static GList *
resolve (const char *name,
         GError    **error)
{
  if (g_ascii_strcasecmp (name, "localhost") == 0)
    return g_list_prepend (NULL, g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4));
  g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "Name or service not known: %s", name);
  return NULL;
}

static GList *
lookup_by_name (GResolver    *resolver,
                const char   *name,
                GCancellable *cancellable,
                GError      **error)
{
  return resolve (name, error);
}

static GList *
lookup_by_name_with_flags (GResolver               *resolver,
                           const char              *name,
                           GResolverNameLookupFlags flags,
                           GCancellable            *cancellable,
                           GError                 **error)
{
  if (flags & G_RESOLVER_NAME_LOOKUP_FLAGS_IPV6_ONLY)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "no IPv6 address for %s", name);
      return NULL;
    }
  return resolve (name, error);
}

static void
lookup_by_name_with_flags_async (GResolver               *resolver,
                                 const char              *name,
                                 GResolverNameLookupFlags flags,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (resolver, cancellable, callback, user_data);
  GError *error = NULL;
  GList *addresses = lookup_by_name_with_flags (resolver, name, flags, cancellable, &error);

  if (addresses == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, addresses, (GDestroyNotify) g_resolver_free_addresses);
}

static void
lookup_by_name_async (GResolver          *resolver,
                      const char         *name,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  lookup_by_name_with_flags_async (resolver, name, G_RESOLVER_NAME_LOOKUP_FLAGS_DEFAULT,
                                   cancellable, callback, user_data);
}

static GList *
lookup_by_name_finish (GResolver    *resolver,
                       GAsyncResult *result,
                       GError      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
pas_test_resolver_class_init (PasTestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  resolver_class->lookup_by_name = lookup_by_name;
  resolver_class->lookup_by_name_async = lookup_by_name_async;
  resolver_class->lookup_by_name_finish = lookup_by_name_finish;
  resolver_class->lookup_by_name_with_flags = lookup_by_name_with_flags;
  resolver_class->lookup_by_name_with_flags_async = lookup_by_name_with_flags_async;
  resolver_class->lookup_by_name_with_flags_finish = lookup_by_name_finish;
}

static void
pas_test_resolver_init (PasTestResolver *self)
{
}

void
pas_test_use_local_resolver (void)
{
  g_autoptr(GResolver) resolver = g_object_new (PAS_TYPE_TEST_RESOLVER, NULL);

  g_resolver_set_default (resolver);
}

/* ---- connecting from a test ---------------------------------------------- */

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
  guint     ticks;
} ConnectResult;

static gboolean
tick_cb (gpointer data)
{
  ((ConnectResult *) data)->ticks++;
  return G_SOURCE_CONTINUE;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  ConnectResult *r = data;

  r->ok = pas_connection_connect_finish (PAS_CONNECTION (source), result, &r->error);
  r->done = TRUE;
}

gboolean
pas_test_connect (PasConnection *connection,
                  GCancellable  *cancellable,
                  guint         *ticks,
                  GError       **error)
{
  ConnectResult r = { 0 };
  guint tick = g_timeout_add (10, tick_cb, &r);

  pas_connection_connect_async (connection, cancellable, connected_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  if (ticks != NULL)
    *ticks = r.ticks;
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

void
pas_test_die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GSubprocess *
pas_test_start_python_server (const char *script,
                              guint16    *port,
                              const char *known_hosts)
{
  g_autofree char *path = g_build_filename (g_getenv ("PAS_TEST_SRCDIR"), "tests", "fixtures", script, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  GSubprocess *server;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *port_line = NULL;
  g_autofree char *key_line = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) key = NULL;

  /* An aborted test must not leave the server running (and holding its pipes). */
  g_subprocess_launcher_set_child_setup (launcher, pas_test_die_with_parent, NULL, NULL);
  server = g_subprocess_launcher_spawn (launcher, &error, "/usr/bin/python3", path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  port_line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  key_line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (port_line, "PORT "));
  *port = (guint16) g_ascii_strtoull (port_line + 5, NULL, 10);
  key = g_strsplit (key_line, " ", 3);
  line = g_strdup_printf ("[127.0.0.1]:%u %s %s\n", *port, key[1], key[2]);
  g_assert_true (g_file_set_contents (known_hosts, line, -1, NULL));
  return server;
}

void
pas_test_wait_for_connection_threads (void)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (pas_connection_count_running_threads () > 0 && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5 * 1000);
    }
  g_assert_cmpuint (pas_connection_count_running_threads (), ==, 0);
}

void
pas_test_store_result_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

GAsyncResult *
pas_test_wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

PasSftpSession *
pas_test_open_sftp_on (PasConnection *connection,
                       const char    *command,
                       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pas_sftp_session_open_async (connection, command, NULL, pas_test_store_result_cb, &result);
  return pas_sftp_session_open_finish (pas_test_wait_for (&result), error);
}

PasSftpSession *
pas_test_open_sftp (PasTestSshd    *sshd,
                    const char     *command,
                    PasConnection **connection)
{
  g_autoptr(GError) error = NULL;
  PasSftpSession *sftp;

  *connection = pas_test_key_connection (sshd, NULL);
  pas_connection_set_agent_socket (*connection, NULL);
  g_assert_true (pas_test_connect (*connection, NULL, NULL, &error));
  g_assert_no_error (error);
  sftp = pas_test_open_sftp_on (*connection, command, &error);
  g_assert_no_error (error);
  return sftp;
}

PasConnection *
pas_test_key_connection (PasTestSshd *sshd,
                         const char  *key)
{
  const char *files[] = { key != NULL ? key : pas_test_sshd_get_user_key (sshd), NULL };
  PasConnection *connection = pas_connection_new ("127.0.0.1", pas_test_sshd_get_port (sshd),
                                                  pas_test_sshd_get_user (sshd));

  pas_connection_set_known_hosts_files (connection, pas_test_sshd_get_known_hosts (sshd), NULL);
  pas_connection_set_identity_files (connection, files, TRUE);
  return connection;
}
