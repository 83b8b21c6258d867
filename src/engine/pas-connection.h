#pragma once

#include <gio/gio.h>

#include "pas-destination.h"
#include "pas-host-key.h"
#include "pas-host-key-change.h"
#include "pas-interaction.h"

G_BEGIN_DECLS

#define PAS_TYPE_CONNECTION (pas_connection_get_type ())

G_DECLARE_FINAL_TYPE (PasConnection, pas_connection, PAS, CONNECTION, GObject)

#define PAS_CONNECTION_DEFAULT_TIMEOUT 15

/* What a connection and its server agreed on (names as SSH spells them);
 * "out" is client to server. */
typedef struct
{
  char *kex;
  char *host_key;
  char *cipher_out;
  char *cipher_in;
  char *mac_out;
  char *mac_in;
} PasAlgorithms;

/* One SSH connection. libssh2 runs non-blocking on a worker thread with its
 * own GMainContext; this object's methods are called from the owner's thread
 * and their callbacks run in the owner's thread-default main context. */
PasConnection *pas_connection_new                    (const char          *host,
                                                      guint16              port,
                                                      const char          *user);
const char    *pas_connection_get_host               (PasConnection       *self);
guint16        pas_connection_get_port               (PasConnection       *self);
const char    *pas_connection_get_user               (PasConnection       *self);
PasConnection *pas_connection_new_for_destination    (PasDestination      *destination);

/* Settings: take effect at the next connect. */
void           pas_connection_set_interaction        (PasConnection       *self,
                                                      PasInteraction      *interaction);
void           pas_connection_set_known_hosts_files  (PasConnection       *self,
                                                      const char          *user_file,
                                                      const char * const  *read_only_files);
void           pas_connection_set_identity_files     (PasConnection       *self,
                                                      const char * const  *files,
                                                      gboolean             only);
/* The ssh-agent socket; by default $SSH_AUTH_SOCK. NULL: use no agent. */
void           pas_connection_set_agent_socket       (PasConnection       *self,
                                                      const char          *path);
void           pas_connection_set_hash_known_hosts   (PasConnection       *self,
                                                      gboolean             hash);
void           pas_connection_set_timeout            (PasConnection       *self,
                                                      guint                seconds);
void           pas_connection_set_keepalive_interval (PasConnection       *self,
                                                      guint                seconds);
/* Cipher and MAC lists in ssh_config's syntax (Ciphers, MACs): a list
 * replaces ours, "+list" appends to it, "-patterns" removes from it, "^list"
 * puts first. NULL: ours (AES-CTR, AES-GCM, chacha20-poly1305; EtM MACs first). */
void           pas_connection_set_algorithms         (PasConnection       *self,
                                                      const char          *ciphers,
                                                      const char          *macs);
/* Reach the server through @via, a connection to the previous jump host
 * (connected first, if it is not; closed with this one). Its host-key check
 * and login are its own; a failure names it and never falls back to a
 * direct connection. */
void           pas_connection_set_jump               (PasConnection       *self,
                                                      PasConnection       *via);
PasConnection *pas_connection_get_jump               (PasConnection       *self);
/* ProxyCommand: a shell command (tokens already expanded) whose standard
 * input and output carry the connection. */
void           pas_connection_set_proxy_command      (PasConnection       *self,
                                                      const char          *command);
/* Which logins may be tried (PasAuthMethods flags; 0: all). */
void           pas_connection_set_auth_methods       (PasConnection       *self,
                                                      guint                methods);

void           pas_connection_connect_async          (PasConnection       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean       pas_connection_connect_finish         (PasConnection       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Ends the connection without waiting; also cancels a connect in progress. */
void           pas_connection_close                  (PasConnection       *self);
/* The same, answering once the session is torn down — what a program that is
 * about to exit waits for, so no thread is still inside libssh2 at exit. */
void           pas_connection_close_async            (PasConnection       *self,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean       pas_connection_close_finish           (PasConnection       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean       pas_connection_is_connected           (PasConnection       *self);

/* How many connection threads are still running (tearing down included):
 * a program can wait for 0 before exiting. */
guint          pas_connection_count_running_threads  (void);

/* After a successful connect. */
const PasHostKey *pas_connection_get_host_key        (PasConnection       *self);
const PasHostKeyChange *pas_connection_get_host_key_change (PasConnection *self);
const char       *pas_connection_get_auth_method     (PasConnection       *self);
const PasAlgorithms *pas_connection_get_algorithms   (PasConnection       *self);
/* AES-GCM and chacha20-poly1305 carry their own integrity: no MAC is used. */
gboolean       pas_algorithms_cipher_is_aead         (const char          *cipher);

G_END_DECLS
