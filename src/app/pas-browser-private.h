#pragma once

#include "pas-browser.h"
#include "pas-gtk-interaction.h"

G_BEGIN_DECLS

struct _PasBrowser
{
  GtkWidget           parent_instance;

  PasUri             *uri;
  char               *title;
  char               *server_key;
  char              **identities;
  char               *known_hosts;
  char               *sftp_server;
  PasSession         *session;            /* (nullable) the saved session opened */
  PasTransferQueue   *queue;
  PasGtkInteraction  *interaction;
  PasConnection      *connection;
  PasSftpSession     *sftp;               /* browsing */
  GPtrArray          *transfer_sessions;  /* of PasSftpSession: the queue's */
  GCancellable       *cancellable;
  PasBrowserState     state;
  GError             *error;
  PasFilePane        *active_pane;
  GPtrArray          *opened;             /* of PasOpenedFile */
  GSettings          *settings;

  /* Template widgets */
  GtkStack           *stack;
  AdwStatusPage      *connecting_page;
  AdwStatusPage      *failed_page;
  PasFilePane        *local_pane;
  PasFilePane        *remote_pane;
  GMenuModel         *context_menu;
};

void pas_browser_toast              (PasBrowser      *self,
                                     const char      *text);
void pas_browser_report             (PasBrowser      *self,
                                     const GError    *error);
void pas_browser_set_failed         (PasBrowser      *self,
                                     const GError    *error);
void pas_browser_update_actions     (PasBrowser      *self);

/* pas-browser-actions.c */
void pas_browser_class_init_actions (GtkWidgetClass  *widget_class);
void pas_browser_init_actions       (PasBrowser      *self);

G_END_DECLS
