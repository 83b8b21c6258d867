#pragma once

#include <gio/gio.h>

#include "pas-session.h"

G_BEGIN_DECLS

#define PAS_TYPE_SESSION_STORE (pas_session_store_get_type ())

G_DECLARE_FINAL_TYPE (PasSessionStore, pas_session_store, PAS, SESSION_STORE, GObject)

/* The saved sessions: a GListModel of PasSession kept in a GKeyFile
 * ($XDG_CONFIG_HOME/passerelle/sessions.ini by default), one group per
 * session, written atomically with mode 0600. Never a secret. */
PasSessionStore *pas_session_store_new          (const char       *path);
const char      *pas_session_store_get_path     (PasSessionStore  *self);
/* A file that cannot be read or parsed is copied aside first (its name ends
 * in ".damaged-DATE"), so that saving over it later loses nothing; the error
 * says where the copy is. A missing file is an empty store. Sessions with bad
 * values are skipped and reported in the same error, the others load. */
gboolean         pas_session_store_load         (PasSessionStore  *self,
                                                 GError          **error);
gboolean         pas_session_store_save         (PasSessionStore  *self,
                                                 GError          **error);
/* The same, written in a thread (for the UI thread): the sessions as they
 * are when it is called, or later — saves asked while one is written wait
 * for the next write, which takes the sessions as they are then. */
void             pas_session_store_save_async   (PasSessionStore     *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         pas_session_store_save_finish  (PasSessionStore     *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void             pas_session_store_add          (PasSessionStore  *self,
                                                 PasSession       *session);
void             pas_session_store_remove       (PasSessionStore  *self,
                                                 PasSession       *session);
/* The first session with this name, or NULL. */
PasSession      *pas_session_store_find         (PasSessionStore  *self,
                                                 const char       *name);

G_END_DECLS
