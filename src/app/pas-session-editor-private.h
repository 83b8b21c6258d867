#pragma once

/* PasSessionEditor spans two files: the form, its checks, Test Connection
 * and saving (pas-session-editor.c), and the key tools — generate a key,
 * install it on the server (pas-session-editor-keys.c). */

#include "pas-gtk-interaction.h"
#include "pas-session-editor.h"

G_BEGIN_DECLS

#define N_FIELDS 10

struct _PasSessionEditor
{
  AdwWindow          parent_instance;

  PasSession        *session;       /* the copy being edited */
  AdwEntryRow       *fields[N_FIELDS]; /* the text fields, in the order of fields[] */
  GtkSpinButton     *port;
  gboolean           port_unset;    /* the session had no port (0) */
  GtkSpinButton     *keepalive;
  GtkSpinButton     *timeout;
  AdwComboRow       *auth;
  GtkWidget         *password;      /* AdwPasswordEntryRow */
  char              *loaded_password; /* what the keyring held when the editor opened */
  GCancellable      *loading;       /* that lookup */
  AdwPreferencesGroup *server_group;
  AdwPreferencesGroup *login_group;
  AdwActionRow      *install_row;
  GtkWidget         *save_button;
  gboolean           host_edited;
  gboolean           dirty;         /* something was changed since it opened */
  gboolean           filling;       /* the editor itself fills a field */
  gboolean           may_close;     /* saved, or the changes were discarded */
  GtkLabel          *test_label;
  GtkWidget         *test_button;
  char              *problem;
  char              *test_result;
  PasConnection     *testing;
  GCancellable      *resolving;     /* Test Connection or Install, until resolved */
  PasDestination    *tested;        /* what the last Test Connection resolved the form to */
  PasSftpSession    *installing;
  char              *key_result;
  char              *install_ssh_dir;   /* tests: where authorized_keys is; NULL: ~/.ssh */
  PasGtkInteraction *interaction;
  /* Whether the key file can be read, asked in a thread (a home folder on
   * a network share may keep access() waiting). */
  char              *key_checked;   /* the path asked about last… */
  gboolean           key_readable;  /* …and the answer */
  char              *key_checking;  /* the path being asked about */
  gboolean           key_pending;   /* the form waits for that answer */
  GCancellable      *key_check;
};

typedef void (*ResolvedFunc) (PasSessionEditor *self,
                              PasDestination   *destination);

/* pas-session-editor.c */
void           pas_session_editor_validate          (PasSessionEditor *self);
/* The form's fields into the session copy. */
void           pas_session_editor_collect           (PasSessionEditor *self);
/* The form resolved (in a thread), then @then; "Connecting…" meanwhile. */
void           pas_session_editor_resolve_form      (PasSessionEditor *self,
                                                     ResolvedFunc      then);
/* A fresh connection to @destination that tries the password typed. */
PasConnection *pas_session_editor_new_connection    (PasSessionEditor *self,
                                                     PasDestination   *destination);
void           pas_session_editor_forget_key_check  (PasSessionEditor *self);
void           pas_session_editor_emit_key_done     (PasSessionEditor *self);

/* pas-session-editor-keys.c */
void           pas_session_editor_set_key_result    (PasSessionEditor *self,
                                                     const char       *text,
                                                     gboolean          good);
void           pas_session_editor_generate_clicked_cb (PasSessionEditor *self);
void           pas_session_editor_install_clicked_cb  (PasSessionEditor *self);
void           pas_session_editor_install_resolved  (PasSessionEditor *self,
                                                     PasDestination   *destination);

G_END_DECLS
