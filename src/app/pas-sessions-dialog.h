#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_SESSIONS_DIALOG (pas_sessions_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PasSessionsDialog, pas_sessions_dialog, PAS, SESSIONS_DIALOG, AdwPreferencesWindow)

/* The saved sessions, grouped by folder, searchable (AdwPreferencesWindow's
 * search), with the hosts of ~/.ssh/config in a group of their own. Add,
 * edit, duplicate, delete; a row's activation emits "connect" with the
 * session (an ssh_config host is a session made on the fly). */
PasSessionsDialog *pas_sessions_dialog_new              (GtkWindow         *parent,
                                                         PasSessionStore   *store);
void               pas_sessions_dialog_reload           (PasSessionsDialog *self);
void               pas_sessions_dialog_connect          (PasSessionsDialog *self,
                                                         PasSession        *session);
PasSession        *pas_sessions_dialog_config_host      (PasSessionsDialog *self,
                                                         const char        *alias);
void               pas_sessions_dialog_copy_config_host (PasSessionsDialog *self,
                                                         const char        *alias);
GtkWidget         *pas_sessions_dialog_edit             (PasSessionsDialog *self,
                                                         PasSession        *session);
void               pas_sessions_dialog_duplicate        (PasSessionsDialog *self,
                                                         PasSession        *session);
void               pas_sessions_dialog_delete           (PasSessionsDialog *self,
                                                         PasSession        *session);
GtkWidget         *pas_sessions_dialog_add              (PasSessionsDialog *self);
void               pas_sessions_dialog_import_filezilla_async  (PasSessionsDialog   *self,
                                                                const char          *path,
                                                                GCancellable        *cancellable,
                                                                GAsyncReadyCallback  callback,
                                                                gpointer             user_data);
int                pas_sessions_dialog_import_filezilla_finish (PasSessionsDialog   *self,
                                                                GAsyncResult        *result,
                                                                GError             **error);
guint              pas_sessions_dialog_get_n_rows       (PasSessionsDialog *self);

G_END_DECLS
