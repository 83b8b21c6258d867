#define G_LOG_DOMAIN "pas-names"

#include "config.h"

#include <string.h>

#include "pas-names.h"

char *
pas_name_escape_for_display (const char *name,
                             gssize      len)
{
  const char *end = name + (len < 0 ? (gssize) strlen (name) : len);
  GString *out = g_string_new (NULL);

  for (const char *p = name; p < end; )
    {
      gunichar c;
      GUnicodeType type;

      /* GLib's validator calls a NUL byte invalid; here it is a character to show. */
      if (*p == '\0')
        {
          g_string_append (out, "\\u{0000}");
          p++;
          continue;
        }
      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_unichar (out, 0xFFFD);
          p++;
          continue;
        }
      type = g_unichar_type (c);
      if (type == G_UNICODE_CONTROL || type == G_UNICODE_FORMAT ||
          type == G_UNICODE_LINE_SEPARATOR || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        g_string_append_printf (out, "\\u{%04X}", c);
      else if (c == '\\')
        g_string_append (out, "\\\\");
      else
        g_string_append_unichar (out, c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}
