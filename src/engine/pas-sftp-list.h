#pragma once

/* A folder listed as a stream (pas-sftp-list.c): batches of names as the
 * server sends them, many READDIRs in flight. */

#include "pas-sftp-session.h"

G_BEGIN_DECLS

/* Called in the owner's thread for each batch of a listing, as it arrives. */
typedef void (*PasSftpListFunc) (GPtrArray *names,   /* of PasSftpName, without "." and ".." */
                                 gpointer   user_data);

/* Streams a folder: @batch is called for each batch as the server sends it. */
void            pas_sftp_session_list_async     (PasSftpSession       *self,
                                                 const char           *path,
                                                 PasSftpListFunc       batch,
                                                 gpointer              batch_data,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean        pas_sftp_session_list_finish (PasSftpSession       *self,
                                              GAsyncResult         *result,
                                              GError              **error);

G_END_DECLS
