#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PAS_TYPE_CELL_TEXT (pas_cell_text_get_type ())

G_DECLARE_FINAL_TYPE (PasCellText, pas_cell_text, PAS, CELL_TEXT, GtkWidget)

/* One line of text in a file-list cell (or a transfer's progress), cut
 * short with an ellipsis. A
 * GtkLabel lays its text out again at every measure, and GTK measures every
 * cell of a column (~200 rows kept) whenever one row is added: that made a
 * big folder's loading stall the window. This one lays out once per text. */
GtkWidget  *pas_cell_text_new            (float        xalign,
                                          gboolean     numeric);
void        pas_cell_text_set_text       (PasCellText *self,
                                          const char  *text);
const char *pas_cell_text_get_text       (PasCellText *self);
/* Text that changes several times a second (progress): it takes the width
 * it is given and asks for none, so a change redraws it and lays nothing
 * out again (see PasProgressLine for why that matters). */
void        pas_cell_text_set_live       (PasCellText *self,
                                          gboolean     live);
/* Whether the last drawing cut the text short. */
gboolean    pas_cell_text_is_ellipsized  (PasCellText *self);

G_END_DECLS
