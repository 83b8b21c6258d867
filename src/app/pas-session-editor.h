#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_SESSION_EDITOR (pas_session_editor_get_type ())

G_DECLARE_FINAL_TYPE (PasSessionEditor, pas_session_editor, PAS, SESSION_EDITOR, AdwWindow)

/* Edits a copy of @session; "saved" is emitted with the copy when the
 * fields are valid and Save is pressed (the caller stores it). "Test
 * Connection" logs in with the fields as they are and reports the engine's
 * human message. */
PasSessionEditor *pas_session_editor_new          (GtkWindow        *parent,
                                                   PasSession       *session,
                                                   gboolean          is_new);
PasSession       *pas_session_editor_get_session  (PasSessionEditor *self);
gboolean          pas_session_editor_is_valid     (PasSessionEditor *self);
const char       *pas_session_editor_get_problem  (PasSessionEditor *self);
void              pas_session_editor_save         (PasSessionEditor *self);
void              pas_session_editor_test_connection (PasSessionEditor *self);
PasDestination   *pas_session_editor_get_tested_destination (PasSessionEditor *self);
const char       *pas_session_editor_get_test_result (PasSessionEditor *self);
GtkEditable      *pas_session_editor_get_entry    (PasSessionEditor *self,
                                                   const char       *property);

void              pas_session_editor_generate_key (PasSessionEditor *self,
                                                   const char       *path,
                                                   const char       *passphrase);
void              pas_session_editor_install_key  (PasSessionEditor *self);
const char       *pas_session_editor_get_key_result (PasSessionEditor *self);
/* Tests: the folder whose authorized_keys the server reads (NULL: ~/.ssh). */
void              pas_session_editor_set_install_dir (PasSessionEditor *self,
                                                      const char       *ssh_dir);

/* Copies every field of @from into @to, the id excepted. */
void              pas_session_assign              (PasSession       *to,
                                                   PasSession       *from);

G_END_DECLS
