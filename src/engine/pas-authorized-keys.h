#pragma once

/* A public key installed in the server's authorized_keys (pas-authorized-keys.c). */

#include "pas-sftp-session.h"

G_BEGIN_DECLS

/* Appends @line ("type base64 [comment]") to authorized_keys in @ssh_dir
 * (NULL: ~/.ssh), creating the folder (0700) and the file (0600) when
 * missing; a key already there is not added again (@added says which). */
void            pas_sftp_session_install_public_key_async  (PasSftpSession      *self,
                                                            const char          *line,
                                                            const char          *ssh_dir,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean        pas_sftp_session_install_public_key_finish (PasSftpSession      *self,
                                                            GAsyncResult        *result,
                                                            gboolean            *added,
                                                            GError             **error);

G_END_DECLS
