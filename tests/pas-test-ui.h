#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Runs the main loop until @condition (@data) holds, at most @seconds;
 * whether it holds. */
typedef gboolean (*PasTestUiCondition) (gpointer data);
gboolean   pas_test_ui_wait_until      (PasTestUiCondition condition,
                                        gpointer           data,
                                        guint              seconds);
void       pas_test_ui_wait_for_mapped (GtkWidget  *widget);
void       pas_test_ui_iterate         (guint       msec);
char      *pas_test_ui_screenshot      (GtkWidget  *widget,
                                        const char *name);
GtkWindow *pas_test_ui_find_window     (GType       type);
GtkWidget *pas_test_ui_find_widget     (GType       type);
/* The button under @widget whose label is @label (mnemonic included). */
GtkWidget *pas_test_ui_find_button     (GtkWidget  *widget,
                                        const char *label);
/* The first widget under @root (itself included), depth first, that
 * @match accepts. */
typedef gboolean (*PasTestUiMatch) (GtkWidget     *widget,
                                    gconstpointer  data);
GtkWidget *pas_test_ui_find            (GtkWidget     *root,
                                        PasTestUiMatch match,
                                        gconstpointer  data);
/* The widget under @root named @name (gtk_widget_set_name, or "name" in a
 * template: the preferences are named after their keys). */
GtkWidget *pas_test_ui_find_named      (GtkWidget     *root,
                                        const char    *name);
/* The text of the label @id of @widget's template (of class @type). */
const char *pas_test_ui_template_label (GtkWidget  *widget,
                                        GType       type,
                                        const char *id);
void       pas_test_ui_use_french      (void);
/* Presses @keys (xdotool names, space-separated) in the window titled
 * @title, as a person at the keyboard would: X events from the server, not
 * signals the test emits. */
void       pas_test_ui_press_keys      (const char *title,
                                        const char *keys);
void       pas_test_ui_click           (const char *title,
                                        GtkWidget  *widget,
                                        double      x,
                                        double      y);
/* Context switches so far (each one a wake-up or a preemption) of this
 * process's threads named @name, or of its main thread when @name is NULL. */
guint64    pas_test_ui_count_switches  (const char *name);

G_END_DECLS
