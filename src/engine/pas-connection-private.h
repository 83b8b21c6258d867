#pragma once

/* Shared by the files of PasConnection: the worker thread's state and the
 * helpers with which its steps wait on the socket and ask the caller. */

#include <gio/gio.h>
#include <libssh2.h>

#include "pas-connection.h"
#include "pas-interaction.h"
#include "pas-host-key-change.h"
#include "pas-known-hosts.h"

G_BEGIN_DECLS

/* Limits against hostile keyboard-interactive servers. */
#define MAX_KBDINT_PROMPTS 32
#define MAX_KBDINT_ROUNDS 16
#define MAX_PASSWORD_ATTEMPTS 3
#define MAX_PASSPHRASE_ATTEMPTS 3
#define FIRST_BYTES_KEPT 256

/* A channel the worker drives: an SFTP or command channel
 * (pas-sftp-session.c), a tunnel to the next jump host
 * (pas-connection-tunnel.c). Each starts with a PasWorkerChannel whose
 * class says how. */
typedef struct _PasWorkerChannel PasWorkerChannel;
typedef struct _PasSftpChannel PasSftpChannel;

/* libssh2 rule: a call that returned EAGAIN with a packet half sent must be
 * called again, alone, until it completes; any other send in between fails
 * with LIBSSH2_ERROR_BAD_USE. The worker remembers which call that was. */
typedef enum
{
  PAS_PENDING_NONE,
  PAS_PENDING_KEEPALIVE,
  PAS_PENDING_STEP,      /* a channel's open, start or close */
  PAS_PENDING_WRITE,
  PAS_PENDING_READ,      /* channel reads send window adjustments */
} PasPendingKind;

/* What a connection is told before it connects; the worker gets a copy. */
typedef struct
{
  char      *host;
  guint16    port;
  char      *user;
  guint      timeout_s;
  guint      keepalive_s;
  char      *user_known_hosts;
  char     **read_only_known_hosts;
  gboolean   hash_known_hosts;
  char     **identity_files;
  gboolean   identities_only;
  char      *agent_socket;
  char      *ciphers;              /* ssh_config syntax; NULL: ours */
  char      *macs;
  char      *proxy_command;        /* expanded; NULL: TCP, or the jump host's tunnel */
  guint      auth_methods;         /* PasAuthMethods; 0: all */
} PasConnectionSettings;

/* Everything the worker thread touches. Refcounted: the PasConnection and the
 * worker thread each hold a reference, so closing never waits on the network. */
typedef struct _PasWorker PasWorker;
struct _PasWorker
{
  PasConnectionSettings settings;   /* copied at connect; read-only afterwards */
  PasInteraction   *interaction;
  GMainContext     *caller_context;

  GMainContext     *context;
  GMainLoop        *loop;
  GCancellable     *cancel;        /* cancelled by the caller's cancellable and by close */
  gulong            cancel_handler;
  GCancellable     *caller_cancellable;

  PasWorker        *via;           /* the previous jump host's worker (a reference), or NULL */
  GSocketConnection *socket;       /* TCP; NULL through a tunnel or a ProxyCommand */
  int               fd;
  gboolean          fd_owned;      /* a tunnel's or ProxyCommand's socket: ours to close */
  GPid              proxy_pid;
  int               proxy_stderr_fd;
  GSource          *proxy_stderr_source;
  GString          *proxy_stderr;
  LIBSSH2_SESSION  *session;
  gint64            deadline;      /* monotonic µs for the current network wait */
  gboolean          timed_out;

  GByteArray       *first_bytes;   /* what the server said first, to recognise non-SSH servers */
  char             *disconnect_message;
  guint             kbdint_round;
  GError           *kbdint_error;

  PasKnownHosts    *known_hosts;
  GPtrArray        *offered_keys;  /* public blobs already offered: each try counts against MaxAuthTries */
  PasHostKey       *host_key;
  PasHostKeyChange *host_key_change; /* when the key on file differs */
  char             *refused_key;   /* the fingerprint of a named key the server refused */
  PasAlgorithms     algorithms;    /* agreed at the handshake */
  char             *auth_method;
  gint              connected;     /* atomic */

  /* After login: one socket source drives every channel (worker thread only). */
  GSource          *io_source;
  GSource          *again_source;   /* a pump that libssh2's held data calls for */
  GPtrArray        *channels;      /* of PasWorkerChannel */
  GTask            *close_task;    /* answered once the session is torn down */
  PasPendingKind    pending;
  PasWorkerChannel *pending_channel;
  GMutex            lock;          /* guards finished */
  gboolean          finished;      /* the thread has left its loop: requests are not run */
};



typedef struct
{
  gboolean done;
} PasWorkerFlag;

typedef enum
{
  PAS_WORKER_ASK_HOST_KEY,
  PAS_WORKER_ASK_PASSWORD,
  PAS_WORKER_ASK_PASSPHRASE,
  PAS_WORKER_ASK_PROMPTS,
} PasWorkerAskKind;

typedef struct
{
  PasWorker             *w;
  PasWorkerAskKind             kind;
  PasWorkerFlag                flag;
  PasHostKeyQuery     host_key;
  PasPasswordQuery    password;
  PasPassphraseQuery  passphrase;
  PasPromptsQuery     prompts;
  /* owned storage behind the queries */
  char               *fingerprint;
  char               *randomart;
  char              **known_types;
  char               *message;
  char              **prompt_texts;
  gboolean           *echo;
  char               *name;
  char               *instruction;
  /* answers */
  PasHostKeyDecision  decision;
  char               *secret;
  char              **answers;
  GError             *error;
} PasWorkerAsk;

/* pas-connection-transport.c */
gboolean       pas_worker_open_transport     (PasWorker                   *w,
                                              GError                     **error);
void           pas_worker_close_transport    (PasWorker                   *w);
char          *pas_worker_describe_proxy_end (PasWorker                   *w);

/* pas-connection-algorithms.c */
char          *pas_algorithms_apply          (const char                  *ours,
                                              const char                  *setting);
void           pas_algorithms_clear          (PasAlgorithms               *algorithms);
gboolean       pas_worker_set_algorithms     (PasWorker                   *w,
                                              GError                     **error);
void           pas_worker_note_algorithms    (PasWorker                   *w);

void           pas_connection_settings_copy  (PasConnectionSettings       *dest,
                                              const PasConnectionSettings *src);
void           pas_connection_settings_clear (PasConnectionSettings       *settings);

PasWorker     *pas_worker_ref               (PasWorker        *w);
void           pas_worker_unref             (PasWorker        *w);
GSource       *pas_worker_attach            (PasWorker        *w,
                                             GSource          *source);
void           pas_worker_start_deadline    (PasWorker        *w);
void           pas_worker_run_until         (PasWorker        *w,
                                             PasWorkerFlag    *flag,
                                             gboolean          use_deadline);
gboolean       pas_worker_set_stopped_error (PasWorker        *w,
                                             GError          **error,
                                             const char       *timeout_message);
gboolean       pas_worker_wait_session      (PasWorker        *w,
                                             const char       *timeout_message,
                                             GError          **error);
PasWorkerAsk  *pas_worker_ask_new           (PasWorker        *w,
                                             PasWorkerAskKind  kind);
void           pas_worker_ask_unref         (gpointer          ask);
gboolean       pas_worker_ask_and_wait      (PasWorker        *w,
                                             PasWorkerAsk     *ask,
                                             GError          **error);
char          *pas_worker_server_name       (PasWorker        *w);
/* For the channels (pas-sftp-channel.c, pas-remote-command.c): the
 * worker's thread context, its libssh2 session, and whether a write is
 * waiting for the socket. Called in the worker's thread. */
GMainContext    *pas_worker_get_context       (PasWorker        *w);
LIBSSH2_SESSION *pas_worker_get_ssh_session   (PasWorker        *w);
gboolean         pas_worker_is_write_pending  (PasWorker        *w);
char            *pas_worker_describe          (PasWorker        *w);

/* The worker behind a connected PasConnection (NULL when not connected). */
PasWorker     *pas_connection_get_worker    (PasConnection    *connection);
typedef enum
{
  PAS_CHANNEL_FINISHED,   /* closed: drop it */
  PAS_CHANNEL_IDLE,       /* waiting for input */
  PAS_CHANNEL_WRITING,    /* has output queued: wake for G_IO_OUT too */
} PasChannelState;

typedef struct
{
  /* Runs the channel as far as the socket allows. */
  PasChannelState   (*pump)     (PasWorkerChannel *channel);
  /* Calls again only what left a packet half sent (PAS_PENDING_WRITE/READ/STEP). */
  PasChannelState   (*retry)    (PasWorkerChannel *channel,
                                 PasPendingKind    kind);
  /* TRUE when libssh2 already holds something for this channel that no
   * socket event will announce: data another channel's read took off the
   * socket, or a window adjustment that lets queued output go. */
  gboolean          (*has_work) (PasWorkerChannel *channel);
  /* The connection is gone: everything waiting on the channel gets @error. */
  void              (*abort)    (PasWorkerChannel *channel,
                                 const GError     *error);
  PasWorkerChannel *(*ref)      (PasWorkerChannel *channel);
  void              (*unref)    (PasWorkerChannel *channel);
} PasWorkerChannelClass;

struct _PasWorkerChannel
{
  const PasWorkerChannelClass *klass;
};

static inline PasChannelState
pas_worker_channel_pump (PasWorkerChannel *c)
{
  return c->klass->pump (c);
}

static inline PasChannelState
pas_worker_channel_retry (PasWorkerChannel *c,
                          PasPendingKind    kind)
{
  return c->klass->retry (c, kind);
}

static inline gboolean
pas_worker_channel_has_work (PasWorkerChannel *c)
{
  return c->klass->has_work (c);
}

static inline void
pas_worker_channel_abort (PasWorkerChannel *c,
                          const GError     *error)
{
  c->klass->abort (c, error);
}

static inline PasWorkerChannel *
pas_worker_channel_ref (PasWorkerChannel *c)
{
  return c->klass->ref (c);
}

static inline void
pas_worker_channel_unref (PasWorkerChannel *c)
{
  c->klass->unref (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasWorkerChannel, pas_worker_channel_unref)

/* Drives every channel; call after queueing work, on the worker thread. */
void           pas_worker_pump              (PasWorker        *w);
/* From any thread: adds @channel (a new reference) to the worker's round, or,
 * when the connection is gone, aborts it so its waiters get an answer. */
void           pas_worker_start_channel     (PasWorker        *w,
                                             PasWorkerChannel *channel);
/* After an EAGAIN: TRUE (and remembered) when libssh2 holds a half-sent
 * packet, which only the same call may finish. */
gboolean       pas_worker_note_pending      (PasWorker        *w,
                                             PasWorkerChannel *channel,
                                             PasPendingKind    kind);

/* pas-sftp-session.c */
PasSftpChannel *pas_sftp_channel_ref        (PasSftpChannel   *channel);
void           pas_sftp_channel_unref       (PasSftpChannel   *channel);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasSftpChannel, pas_sftp_channel_unref)

/* pas-connection-tunnel.c: on the connected worker @w (a jump host's), a
 * direct-tcpip channel to @host:@port bridged to a socket pair; answers
 * with the other end's descriptor (the caller owns it), on which the next
 * hop's connection runs. Callable from any thread. */
void           pas_worker_open_tunnel_async  (PasWorker           *w,
                                              const char          *host,
                                              guint16              port,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
int            pas_worker_open_tunnel_finish (GAsyncResult        *result,
                                              GError             **error);

/* pas-connection-handshake.c: the steps before authentication. */
gboolean       pas_worker_load_known_hosts  (PasWorker        *w,
                                             GError          **error);
gboolean       pas_worker_handshake         (PasWorker        *w,
                                             GError          **error);
gboolean       pas_worker_check_host_key    (PasWorker        *w,
                                             GError          **error);

/* pas-connection-auth.c */
gboolean       pas_worker_authenticate      (PasWorker        *w,
                                             GError          **error);

G_END_DECLS
