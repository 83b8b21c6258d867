#pragma once

/* A command run on the server, like `ssh host command` (pas-remote-command.c):
 * the "Run a Command" action and passerelle-cli run. */

#include "pas-sftp-session.h"

G_BEGIN_DECLS

typedef struct
{
  GBytes   *out;          /* stdout, at most 1 MiB (empty when streamed) */
  GBytes   *err;          /* stderr, at most 1 MiB (empty when streamed) */
  int       exit_status;
  char     *exit_signal;  /* "TERM", "KILL"…: the command was killed; or NULL */
  gboolean  truncated;    /* more was printed than was kept */
} PasCommandResult;

/* A piece of a command's output: @stream is 1 (stdout) or 2 (stderr). */
typedef void (*PasCommandOutputFunc) (int      stream,
                                      GBytes  *bytes,
                                      gpointer user_data);

void              pas_command_result_free           (PasCommandResult    *result);
void              pas_connection_run_command_async  (PasConnection       *connection,
                                                     const char          *command,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
void              pas_connection_run_command_streaming_async (PasConnection        *connection,
                                                              const char           *command,
                                                              PasCommandOutputFunc  output,
                                                              gpointer              output_data,
                                                              GDestroyNotify        output_destroy,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
PasCommandResult *pas_connection_run_command_streaming_finish (PasConnection        *connection,
                                                               GAsyncResult         *result,
                                                               GError              **error);
PasCommandResult *pas_connection_run_command_finish (PasConnection       *connection,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasCommandResult, pas_command_result_free)

G_END_DECLS
