#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_COMMAND_DIALOG (pas_command_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PasCommandDialog, pas_command_dialog, PAS, COMMAND_DIALOG, AdwWindow)

/* "Run command" on a connection: a command line, then what it printed on
 * stdout and stderr and its exit status (Paramiko's exec_command habit). */
PasCommandDialog *pas_command_dialog_new      (GtkWindow        *parent,
                                               PasConnection    *connection,
                                               const char       *server);
void              pas_command_dialog_run      (PasCommandDialog *self,
                                               const char       *command);
gboolean          pas_command_dialog_is_done  (PasCommandDialog *self);
char             *pas_command_dialog_get_stdout (PasCommandDialog *self);
char             *pas_command_dialog_get_stderr (PasCommandDialog *self);
const char       *pas_command_dialog_get_status (PasCommandDialog *self);

G_END_DECLS
