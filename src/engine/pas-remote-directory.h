#pragma once

#include <gio/gio.h>

#include "pas-remote-file.h"
#include "pas-sftp-session.h"

G_BEGIN_DECLS

#define PAS_TYPE_REMOTE_DIRECTORY (pas_remote_directory_get_type ())

G_DECLARE_FINAL_TYPE (PasRemoteDirectory, pas_remote_directory, PAS, REMOTE_DIRECTORY, GObject)

/* A remote folder as a GListModel of GFileInfo, the same item type as
 * GtkDirectoryList gives for local folders, so one view shows both. Items
 * arrive batch by batch while the server streams the listing. Each info has
 * the usual standard::, time::, unix::mode and owner:: attributes plus
 * "passerelle::path" (the full remote path). Entries whose names are unsafe
 * for local use (a '/', a NUL, empty, ".", "..") are left out and counted. */

#define PAS_FILE_ATTRIBUTE_PATH "passerelle::path"

PasRemoteDirectory *pas_remote_directory_new          (PasSftpSession     *session,
                                                       const char         *path);
const char         *pas_remote_directory_get_path     (PasRemoteDirectory *self);
gboolean            pas_remote_directory_is_loading   (PasRemoteDirectory *self);
const GError       *pas_remote_directory_get_error    (PasRemoteDirectory *self);
guint               pas_remote_directory_get_n_hidden_unsafe (PasRemoteDirectory *self);
/* Where the listing stands, in words: for a test's failure message. */
char               *pas_remote_directory_describe (PasRemoteDirectory *self);
void                pas_remote_directory_cancel       (PasRemoteDirectory *self);

GFileInfo          *pas_remote_file_info_new          (PasRemoteFile      *file);

G_END_DECLS
