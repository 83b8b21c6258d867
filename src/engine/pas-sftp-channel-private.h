#pragma once

/* PasSftpChannel, the worker-side half of a PasSftpSession or of a command
 * run for its output: the channel's state machine, touched only on the
 * connection's worker thread (pas-sftp-channel.c), except the version and
 * extensions, which are written before the open task returns. Shared with
 * the session (pas-sftp-session.c) and with running a command
 * (pas-remote-command.c). */

#include "pas-connection-private.h"
#include "pas-remote-command.h"
#include "pas-sftp-session.h"

G_BEGIN_DECLS

/* A deep read pipeline needs a wide channel window: the window over the
 * round trip bounds the rate (16 MiB at 40 ms is 400 MiB/s). */
#define CHANNEL_WINDOW (16 * 1024 * 1024)
#define READ_CHUNK (64 * 1024)
#define MAX_STDERR_KEPT 4096
/* What a command may print before the rest is dropped (and counted). */
#define MAX_COMMAND_OUTPUT (1024 * 1024)

typedef enum
{
  CHANNEL_OPENING,
  CHANNEL_STARTING,
  CHANNEL_READY,
  CHANNEL_CLOSING,
  CHANNEL_DEAD,
} ChannelStep;

/* Where a streamed command's output goes: the caller's function, called in
 * the caller's context, in order, and not at all once the run is cancelled
 * (a closed dialog cancels before it goes). */
typedef struct
{
  gatomicrefcount       ref;
  PasCommandOutputFunc  func;
  gpointer              data;
  GDestroyNotify        destroy;
  GMainContext         *context;
  GCancellable         *cancellable;
} OutputSink;

struct _PasSftpChannel
{
  PasWorkerChannel base;         /* first: the worker sees this */
  PasWorker       *w;
  LIBSSH2_CHANNEL *channel;
  ChannelStep      step;
  char            *command;
  GByteArray      *in;
  GQueue           out;          /* of GBytes */
  gsize            out_offset;
  GHashTable      *pending;      /* request id -> GTask */
  GTask           *open_task;
  GString         *stderr_text;
  GError          *error;        /* why it died */
  guint32          version;
  GHashTable      *extensions;   /* name -> GBytes */
  /* A DATA packet being received straight into its own buffer. */
  guint8          *data;
  guint32          data_id;
  gsize            data_len;
  gsize            data_have;
  gboolean         window_full;   /* the server's window is closed: wait for input, not for output */
  gint             stall_timeout; /* seconds (atomic: the owner may change it) */
  gint64           last_heard;    /* monotonic µs: the server's last reply, or the oldest request since */
  GSource         *watchdog;
  /* A command run for its output ("Run command"), not an SFTP server. */
  gboolean         exec_only;
  GTask           *run_task;
  GByteArray      *stdout_data;
  gboolean         truncated;
  OutputSink      *sink;         /* streamed output: nothing is kept */
  GCancellable    *cancellable;  /* "Stop": closes the channel */
  gulong           cancel_id;
  gboolean         stopped;
  gboolean         signalled;
};

OutputSink     *pas_sftp_output_sink_ref     (OutputSink     *sink);
void            pas_sftp_output_sink_unref   (OutputSink     *sink);
/* In the worker: @n bytes of @stream (1 stdout, 2 stderr) to the caller. */
void            pas_sftp_output_sink_deliver (OutputSink     *sink,
                                              int             stream,
                                              const char     *data,
                                              gssize          n);

/* A channel for an SFTP server, or for a command (@command), not started. */
PasSftpChannel *pas_sftp_channel_new         (PasWorker      *w,
                                              const char     *command);
void            pas_sftp_channel_submit      (PasSftpChannel *c,
                                              guint32         id,
                                              GBytes         *packet,
                                              GTask          *task);
void            pas_sftp_channel_close       (PasSftpChannel *c);

G_END_DECLS
