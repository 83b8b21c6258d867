#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_PROPERTIES_DIALOG (pas_properties_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PasPropertiesDialog, pas_properties_dialog, PAS, PROPERTIES_DIALOG, AdwBin)

/* A file's details, and its permissions as check boxes and octal, applied
 * with chmod (SETSTAT remotely when @sftp is given, GIO locally), shown as
 * the extra child of an alert (pas_properties_dialog_present). Emits
 * "applied" (GError or NULL) once the change is done or has failed. */
PasPropertiesDialog *pas_properties_dialog_new      (GtkWidget           *parent,
                                                     GFileInfo           *info,
                                                     const char          *path,
                                                     PasSftpSession      *sftp);
void                 pas_properties_dialog_present  (PasPropertiesDialog *self);
guint32              pas_properties_dialog_get_mode (PasPropertiesDialog *self);
void                 pas_properties_dialog_set_mode (PasPropertiesDialog *self,
                                                     guint32              mode);

G_END_DECLS
