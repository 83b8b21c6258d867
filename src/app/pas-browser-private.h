#pragma once

#include "pas-browser.h"
#include "pas-gtk-interaction.h"

G_BEGIN_DECLS

struct _PasBrowser
{
  GtkWidget           parent_instance;

  PasAddress         *address;            /* (nullable) what was opened, or */
  PasSession         *session;            /* (nullable) the saved session opened (a copy) */
  char               *title;
  char               *server_key;         /* the queue's key, once resolved */
  PasDestination     *destination;        /* once resolved: this tab's (its folder) */
  PasServer          *server;             /* once resolved: the connection, shared */
  PasTransferQueue   *queue;
  PasGtkInteraction  *interaction;
  PasSftpSession     *sftp;               /* browsing: this tab's own channel */
  GCancellable       *cancellable;
  PasBrowserState     state;
  GError             *error;
  PasFilePane        *active_pane;
  GPtrArray          *opened;             /* of PasOpenedFile */
  GSettings          *settings;

  /* Template widgets */
  GtkStack           *stack;
  AdwStatusPage      *connecting_page;
  GtkSpinner         *connecting_spinner;
  AdwStatusPage      *failed_page;
  GtkWidget          *reconnect_button;
  PasFilePane        *local_pane;
  PasFilePane        *remote_pane;
  GMenuModel         *context_menu;
  GtkPaned           *panes;
  GtkWidget          *switcher;
  GtkToggleButton    *local_switch;
  GtkToggleButton    *remote_switch;

  /* One pane at a time in a narrow window (pas-browser-fold.c). */
  gboolean            narrow;
  gboolean            compact;            /* name and size columns only */
  PasFilePane        *shown_pane;
  int                 last_width;
  guint               fold_source;

  /* Browsing both folders together (pas-browser-follow.c): the two
   * folders last shown together. */
  gboolean            follow;
  AdwToast           *sync_toast;      /* "Synchronizing: N files to copy", while it shows (weak) */
  char               *follow_local;
  char               *follow_remote;
  char               *follow_left;     /* where the pane that followed was before, for a way back */

  /* Compare marks (pas-browser-compare.c). */
  gboolean            compare;
  guint               compare_source;
  GCancellable       *compare_cancellable;
};

void pas_browser_class_init_fold    (GtkWidgetClass  *widget_class);
void pas_browser_init_fold          (PasBrowser      *self);
void pas_browser_dispose_fold       (PasBrowser      *self);

void pas_browser_init_compare       (PasBrowser      *self);
void pas_browser_dispose_compare    (PasBrowser      *self);
void pas_browser_init_follow        (PasBrowser      *self);
void pas_browser_dispose_follow     (PasBrowser      *self);
/* Where the other pane goes when one moves from @from to @to. */
char *pas_browser_follow_path       (const char      *from,
                                     const char      *to,
                                     const char      *other);

/* Returns: (transfer none) (nullable): the toast, while it is shown or waits. */
AdwToast *pas_browser_toast         (PasBrowser      *self,
                                     const char      *text);
void pas_browser_report             (PasBrowser      *self,
                                     const GError    *error);
void pas_browser_set_failed         (PasBrowser      *self,
                                     const GError    *error);
void pas_browser_update_actions     (PasBrowser      *self);
/* What the tab connects to next (its title follows). */
void pas_browser_set_address        (PasBrowser      *self,
                                     const PasAddress *address);
void pas_browser_set_session        (PasBrowser      *self,
                                     PasSession      *session);

/* pas-browser-actions.c */
/* Connected to the queue's "item-ended": shows what arrived where this tab looks. */
void pas_browser_transfer_ended_cb  (PasTransferQueue *queue,
                                     PasTransfer      *transfer,
                                     const char       *server,
                                     PasBrowser       *self);
void pas_browser_class_init_actions (GtkWidgetClass  *widget_class);
void pas_browser_init_actions       (PasBrowser      *self);

/* pas-browser-actions.c: helpers the tab's other files share. */
PasFilePane *pas_browser_other_pane    (PasBrowser      *self,
                                        PasFilePane     *pane);
GtkWindow   *pas_browser_parent_window (PasBrowser      *self);
/* A name a file can have: not empty, no '/', not "." or "..". */
gboolean     pas_browser_name_is_valid (const char      *name);

/* pas-browser-files.c: new folder, rename, delete, symlink. */
void pas_browser_class_init_files     (GtkWidgetClass  *widget_class);
void pas_browser_rename_requested_cb  (PasFilePane     *pane,
                                       GFileInfo       *info,
                                       const char      *name,
                                       PasBrowser      *self);

G_END_DECLS
