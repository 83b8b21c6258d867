#pragma once

#include "pas-file-list.h"
#include "pas-file-pane.h"

G_BEGIN_DECLS

/* Shared by pas-file-pane.c, pas-file-pane-cells.c (columns, sorting),
 * pas-file-pane-dnd.c (drag and drop), pas-file-pane-keys.c (typing in the
 * list), pas-file-pane-actions.c (the pane's actions) and
 * pas-file-pane-menus.c (context menu, rename popover). */

struct _PasFilePane
{
  GtkWidget            parent_instance;

  gboolean             remote;
  PasSftpSession      *session;
  char                *home;
  char                *location;
  GPtrArray           *back;       /* of char*, newest last */
  GPtrArray           *forward;

  GListModel          *directory;  /* GtkDirectoryList or PasRemoteDirectory */
  PasFileList         *file_list;  /* sorted, what the view shows */
  GtkMultiSelection   *selection;
  gboolean             show_hidden;

  GtkDropTarget       *drop_target;
  PasDragOutFunc       drag_out_func;
  gpointer             drag_out_data;
  GMenuModel          *context_menu;
  GtkWidget           *context_popover;
  GtkWidget           *rename_popover;
  GtkEntry            *rename_entry;
  GFileInfo           *renaming;
  char                *select_after_load;
  gboolean             focus_when_filled;
  GHashTable          *marks;      /* (nullable) name → PasSyncMark + 1: Compare */
  guint                mark_counts[PAS_SYNC_MARK_FOLDERS + 1];
  guint                only_there;      /* Compare: names only on the other side */
  char                *note;       /* (nullable) the browser's, after the status */

  /* Template widgets */
  GtkWidget           *content;
  GtkWidget           *toolbar_box;
  GtkEntry            *location_entry;
  GtkSearchBar        *search_bar;
  GtkSearchEntry      *search_entry;
  GtkStack            *stack;
  GtkColumnView       *column_view;
  GtkWidget           *forward_button;
  GtkWidget           *hidden_button;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *size_column;
  GtkColumnViewColumn *modified_column;
  GtkColumnViewColumn *permissions_column;
  GtkColumnViewColumn *owner_column;
  AdwStatusPage       *message_page;
  GtkLabel            *status_label;
  GtkSpinner          *spinner;
};

enum {
  SIGNAL_FILE_ACTIVATED,
  SIGNAL_DROP_LOCAL,
  SIGNAL_DROP_REMOTE,
  SIGNAL_RENAME_REQUESTED,
  SIGNAL_SELECTION_CHANGED,
  SIGNAL_LOAD_FAILED,
  SIGNAL_MARKS_CHANGED,
  N_SIGNALS
};

extern guint pas_file_pane_signals[N_SIGNALS];

static inline gboolean
pas_file_info_is_folder (GFileInfo *info)
{
  return g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;
}

guint      pas_file_pane_position_of              (PasFilePane *self,
                                                   GFileInfo   *info);
GFileInfo *pas_file_pane_info_at                  (PasFilePane *self,
                                                   double       x,
                                                   double       y,
                                                   guint       *position);

/* pas-file-pane-cells.c */
void       pas_file_pane_init_columns             (PasFilePane *self);
/* The column and direction the view's sorter (its headers) asks for. */
PasFileOrder pas_file_pane_get_view_order         (PasFilePane *self,
                                                   gboolean    *descending);

/* At (@x, @y) in the pane's coordinates. */
void       pas_file_pane_popup_context_menu       (PasFilePane *self,
                                                   double       x,
                                                   double       y);

/* pas-file-pane-keys.c */
void       pas_file_pane_class_init_keys          (GtkWidgetClass *widget_class);
void       pas_file_pane_init_keys                (PasFilePane *self);

/* pas-file-pane-dnd.c */
void       pas_file_pane_init_dnd                 (PasFilePane *self);

/* pas-file-pane.c, for pas-file-pane-actions.c */
void  pas_file_pane_go_to               (PasFilePane    *self,
                                         const char     *path,
                                         gboolean        remember);
char *pas_file_pane_parent_of           (const char     *path);
void  pas_file_pane_activate_cb         (GtkColumnView  *view,
                                         guint           position,
                                         PasFilePane    *self);
void  pas_file_pane_class_init_actions  (GtkWidgetClass *widget_class);
/* pas-file-pane-status.c */
void  pas_file_pane_update_status       (PasFilePane    *self);
/* pas-file-pane-menus.c */
void  pas_file_pane_init_menus          (PasFilePane    *self);

G_END_DECLS
