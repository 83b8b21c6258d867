#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_FILE_PANE (pas_file_pane_get_type ())

G_DECLARE_FINAL_TYPE (PasFilePane, pas_file_pane, PAS, FILE_PANE, GtkWidget)

/* One side of the browser: a sortable, filterable column view of a folder,
 * with its path bar and history. The local side lists through GIO
 * (GtkDirectoryList), the remote side through a PasRemoteDirectory; both
 * models hold GFileInfo, so everything else is shared. Paths are strings:
 * a local file-system path, or a remote SFTP path. */

PasFilePane    *pas_file_pane_new                (gboolean        remote);
gboolean        pas_file_pane_is_remote          (PasFilePane    *self);
void            pas_file_pane_set_session        (PasFilePane    *self,
                                                  PasSftpSession *session);
void            pas_file_pane_set_home           (PasFilePane    *self,
                                                  const char     *path);
const char     *pas_file_pane_get_location       (PasFilePane    *self);
void            pas_file_pane_set_location       (PasFilePane    *self,
                                                  const char     *path);
void            pas_file_pane_reload             (PasFilePane    *self);
gboolean        pas_file_pane_is_loading         (PasFilePane    *self);
GListModel     *pas_file_pane_get_model          (PasFilePane    *self);
/* The folder's whole listing (GFileInfo references): hidden files and
 * those a search leaves out too. */
GPtrArray      *pas_file_pane_dup_listing        (PasFilePane    *self);
/* Compare: a mark by each name listed (@marks: name → a PasSyncMark + 1),
 * or none (NULL); @only_there names are only on the other side. */
void            pas_file_pane_set_marks          (PasFilePane    *self,
                                                  GHashTable     *marks,
                                                  guint           only_there);
/* (nullable) Words after the status line ("browsing together"). */
void            pas_file_pane_set_note           (PasFilePane    *self,
                                                  const char     *note);
/* The mark shown by @name (a PasSyncMark), or -1. */
int             pas_file_pane_get_mark           (PasFilePane    *self,
                                                  const char     *name);
GPtrArray      *pas_file_pane_get_selected       (PasFilePane    *self);
void            pas_file_pane_select_name        (PasFilePane    *self,
                                                  const char     *name);
void            pas_file_pane_select_after_load  (PasFilePane    *self,
                                                  const char     *name);
GtkEditable    *pas_file_pane_get_rename_entry   (PasFilePane    *self);
char           *pas_file_pane_get_info_path      (PasFilePane    *self,
                                                  GFileInfo      *info);
void            pas_file_pane_set_context_menu   (PasFilePane    *self,
                                                  GMenuModel     *menu);
GtkDropTarget  *pas_file_pane_get_drop_target    (PasFilePane    *self);
void            pas_file_pane_focus_list         (PasFilePane    *self);
void            pas_file_pane_set_compact        (PasFilePane    *self,
                                                  gboolean        compact);
void            pas_file_pane_start_rename       (PasFilePane    *self);

/* Makes what a drag out of the remote pane offers to other applications. */
typedef GdkContentProvider *(*PasDragOutFunc) (GPtrArray *infos,
                                               gpointer   user_data);

void            pas_file_pane_set_drag_out_func  (PasFilePane    *self,
                                                  PasDragOutFunc  func,
                                                  gpointer        user_data);
GdkContentProvider *pas_file_pane_create_drag_content (PasFilePane *self);

char           *pas_file_pane_join               (PasFilePane    *self,
                                                  const char     *folder,
                                                  const char     *name);

/* The remote paths a drag out of the remote pane carries, between panes. */
#define PAS_TYPE_REMOTE_SELECTION (pas_remote_selection_get_type ())
G_DECLARE_FINAL_TYPE (PasRemoteSelection, pas_remote_selection, PAS, REMOTE_SELECTION, GObject)

PasRemoteSelection *pas_remote_selection_new       (PasFilePane        *pane,
                                                    GPtrArray          *infos);
GPtrArray          *pas_remote_selection_get_infos (PasRemoteSelection *self);
PasFilePane        *pas_remote_selection_get_pane  (PasRemoteSelection *self);

G_END_DECLS
