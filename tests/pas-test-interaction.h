#pragma once

#include "pas-engine.h"
#include "pas-test-sshd.h"

G_BEGIN_DECLS

/* Answers the engine's questions from a script and records what was asked. */
#define PAS_TYPE_TEST_INTERACTION (pas_test_interaction_get_type ())

G_DECLARE_FINAL_TYPE (PasTestInteraction, pas_test_interaction, PAS, TEST_INTERACTION, PasInteraction)

struct _PasTestInteraction
{
  PasInteraction      parent_instance;

  /* script */
  PasHostKeyDecision  host_key_decision;
  gboolean            never_answer;      /* hold every question until cancelled */
  guint               hold_host_keys_after;  /* >0: answer this many host-key questions, hold the next */
  GQueue              passwords;         /* of char*, one per ask; empty = refuse */
  GQueue              prompt_answers;    /* of char*, one per prompt */
  GQueue              passphrases;       /* of char*, one per ask; empty = refuse */
  gboolean            decline_passphrases;  /* answer "Cancel", as a person closing the dialog */
  GQueue              conflict_answers;  /* GINT_TO_POINTER (policy | PAS_CONFLICT_FOR_ALL) */

  /* record */
  guint               n_host_key_asks;
  PasHostKeyStatus    last_status;
  char               *last_host_key_host;   /* host:port asked about */
  char               *last_fingerprint;
  char               *last_randomart;
  guint               n_password_asks;
  char               *last_password_message;
  guint               n_passphrase_asks;
  char               *last_passphrase_fingerprint;
  GPtrArray          *prompts_seen;      /* of char*, "round:prompt:echo" */
  guint               n_conflict_asks;
  GPtrArray          *conflicts_seen;    /* names asked about */
  GThread            *asked_in;
};

PasTestInteraction *pas_test_interaction_new (void);

/* GAsyncReadyCallback storing the result in the GAsyncResult* that @data points
 * to; pas_test_wait_for() runs the main loop until it is there. */
void                pas_test_store_result_cb (GObject       *source,
                                              GAsyncResult  *result,
                                              gpointer       data);
GAsyncResult       *pas_test_wait_for        (GAsyncResult **slot);

/* A connection to @sshd as its user, trusting its known_hosts and offering only
 * @key (the fixture's own key when NULL). */
PasConnection      *pas_test_key_connection  (PasTestSshd   *sshd,
                                              const char    *key);

/* An SFTP session (the sftp subsystem, or @command) on @connection. */
PasSftpSession     *pas_test_open_sftp_on    (PasConnection  *connection,
                                              const char     *command,
                                              GError        **error);
/* Connects to @sshd with its key (no agent) and opens SFTP; asserts success. */
PasSftpSession     *pas_test_open_sftp       (PasTestSshd    *sshd,
                                              const char     *command,
                                              PasConnection **connection);
/* Connects and runs this thread's main loop until done, counting 10 ms ticks
 * of that loop (to show it never blocked). */
gboolean            pas_test_connect (PasConnection  *connection,
                                      GCancellable   *cancellable,
                                      guint          *ticks,
                                      GError        **error);

/* Starts tests/fixtures/SCRIPT (a paramiko server printing PORT and HOSTKEY
 * lines) and writes its host key to @known_hosts. Kill it when done. */
GSubprocess        *pas_test_start_python_server (const char *script,
                                                  guint16    *port,
                                                  const char *known_hosts);

/* A GSpawnChildSetupFunc: the helper is killed when the test dies, even by
 * an assertion, rather than left running with its pipes. */
void                pas_test_die_with_parent (gpointer data);
/* Waits (at most 10 s) until no connection thread runs: a test program that
 * exits while one is still tearing down would report its memory as leaked. */
void                pas_test_wait_for_connection_threads (void);

/* A resolver that knows only "localhost": lookups never leave the machine. */
void                pas_test_use_local_resolver (void);

G_END_DECLS
