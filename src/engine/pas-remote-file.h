#pragma once

#include <gio/gio.h>

#include "pas-sftp-wire.h"

G_BEGIN_DECLS

#define PAS_TYPE_REMOTE_FILE (pas_remote_file_get_type ())

G_DECLARE_FINAL_TYPE (PasRemoteFile, pas_remote_file, PAS, REMOTE_FILE, GObject)

/* One entry of a remote folder, as the server described it. The name is the
 * server's: check pas_remote_file_is_name_safe() before it names anything on
 * this computer, and show pas_remote_file_get_display_name(). */
PasRemoteFile *pas_remote_file_new              (const char          *folder,
                                                 const PasSftpName   *name);
const char    *pas_remote_file_get_name         (PasRemoteFile       *self);
const char    *pas_remote_file_get_display_name (PasRemoteFile       *self);
/* No '/', no NUL, not empty, not "." or "..": usable as a local file name. */
gboolean       pas_remote_file_is_name_safe     (PasRemoteFile       *self);
/* folder + "/" + name, for further requests to the server. */
const char    *pas_remote_file_get_path         (PasRemoteFile       *self);
GFileType      pas_remote_file_get_file_type    (PasRemoteFile       *self);
gboolean       pas_remote_file_has_size         (PasRemoteFile       *self);
guint64        pas_remote_file_get_size         (PasRemoteFile       *self);
gboolean       pas_remote_file_has_mtime        (PasRemoteFile       *self);
gint64         pas_remote_file_get_mtime        (PasRemoteFile       *self);
gboolean       pas_remote_file_has_mode         (PasRemoteFile       *self);
guint32        pas_remote_file_get_mode         (PasRemoteFile       *self);
/* The mode to give a local copy: permission bits only (0777), never setuid. */
guint32        pas_remote_file_get_local_mode   (PasRemoteFile       *self);
gboolean       pas_remote_file_has_owner        (PasRemoteFile       *self);
guint32        pas_remote_file_get_uid          (PasRemoteFile       *self);
guint32        pas_remote_file_get_gid          (PasRemoteFile       *self);
/* From the server's "ls -l" line when it gives one; NULL otherwise. Escaped. */
const char    *pas_remote_file_get_owner_name   (PasRemoteFile       *self);
const char    *pas_remote_file_get_group_name   (PasRemoteFile       *self);
const char    *pas_remote_file_get_link_target  (PasRemoteFile       *self);
void           pas_remote_file_set_link_target  (PasRemoteFile       *self,
                                                 const char          *target);

G_END_DECLS
