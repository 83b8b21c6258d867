/* Everything a server sends passes through these: framing, the reply
 * decoder, the attributes decoder and the zero-copy DATA header check. */
#include "config.h"

#include "pas-engine.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  guint32 length = 0, id = 0, data_len = 0;
  gsize consumed = 0;
  PasSftpAttrs attrs;
  PasSftpReply *reply;

  pas_sftp_frame_length (data, size, &length, NULL);
  pas_sftp_data_header (data, size, &id, &data_len);
  reply = pas_sftp_reply_decode (data, size, NULL);
  if (reply != NULL)
    pas_sftp_reply_free (reply);
  pas_sftp_attrs_decode (data, size, &consumed, &attrs);
  return 0;
}
