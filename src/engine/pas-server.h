#pragma once

#include <gio/gio.h>

#include "pas-connection.h"
#include "pas-destination.h"
#include "pas-interaction.h"
#include "pas-sftp-session.h"
#include "pas-transfer-queue.h"

G_BEGIN_DECLS

#define PAS_TYPE_SERVER (pas_server_get_type ())

G_DECLARE_FINAL_TYPE (PasServer, pas_server, PAS, SERVER, GObject)

typedef enum
{
  PAS_SERVER_DISCONNECTED,
  PAS_SERVER_CONNECTING,
  PAS_SERVER_CONNECTED,
  PAS_SERVER_FAILED,       /* see the error: could not connect, or the connection was lost */
} PasServerState;

/* One server as the application knows it: its destination, the SSH
 * connection to it (with its jump hosts), and the SFTP channels the
 * transfer queue uses for it. Windows' tabs, the transfer queue and the
 * session editor's Test Connection share it; a tab is a view of it. */
PasServer        *pas_server_new                (PasDestination       *destination);
PasDestination   *pas_server_get_destination    (PasServer            *self);
/* How the next connect logs in, when another view resolved the same server
 * (same key) with other settings; only while not connected or connecting. */
void              pas_server_set_destination    (PasServer            *self,
                                                 PasDestination       *destination);
/* The queue's key for it: pas_destination_get_key(). */
const char       *pas_server_get_key            (PasServer            *self);
PasServerState    pas_server_get_state          (PasServer            *self);
/* Why it is FAILED; NULL otherwise. */
const GError     *pas_server_get_error          (PasServer            *self);
const PasHostKeyChange *pas_server_get_host_key_change (PasServer       *self);
/* While CONNECTED. */
PasConnection    *pas_server_get_connection     (PasServer            *self);
/* The login folder (realpath of "."), once connected. */
const char       *pas_server_get_home           (PasServer            *self);

/* Transfers to this server run in @queue, on channels of its own. */
void              pas_server_set_queue          (PasServer            *self,
                                                 PasTransferQueue     *queue);

/* Connects, asking @interaction; answers at once when connected, and joins
 * a connect already under way. Cancelling one caller's connect stops the
 * connection only when nobody else waits for it. */
void              pas_server_connect_async      (PasServer            *self,
                                                 PasInteraction       *interaction,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean          pas_server_connect_finish     (PasServer            *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
/* A new SFTP channel on the connection (the destination's server command). */
void              pas_server_open_sftp_async    (PasServer            *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
PasSftpSession   *pas_server_open_sftp_finish   (PasServer            *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void              pas_server_disconnect         (PasServer            *self);
/* An operation found the connection gone (DISCONNECTED, NETWORK, TIMED_OUT):
 * every view learns it at once; the queue's items wait for a reconnect. */
void              pas_server_report_lost        (PasServer            *self,
                                                 const GError         *error);

G_END_DECLS
