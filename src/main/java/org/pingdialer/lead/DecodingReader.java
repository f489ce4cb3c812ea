package org.pingdialer.lead;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * A strict decoding reader that counts the bytes it has consumed (for progress bars). Unlike {@link
 * java.io.InputStreamReader}, it hands out every character decoded before a bad byte and reports
 * the bad byte only on the next read, so the CSV reader can name the right line.
 */
final class DecodingReader extends Reader {
  private final InputStream in;
  private final CharsetDecoder decoder;
  private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
  private boolean endOfInput;
  private boolean flushed;
  private long bytesRead;
  private CharacterCodingException pending;

  DecodingReader(InputStream in, Charset charset) {
    this.in = in;
    this.decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** Bytes taken from the stream so far (including a skipped BOM). */
  long bytesRead() {
    return bytesRead;
  }

  void skipBytes(int n) throws IOException {
    in.skipNBytes(n);
    bytesRead += n;
  }

  @Override
  public int read(char[] target, int offset, int length) throws IOException {
    if (pending != null) {
      throw pending;
    }
    if (length == 0) {
      return 0;
    }
    if (flushed) {
      // A decoder refuses decode() after flush(): a file whose last line has no newline ends
      // here on the read after the one that handed out its last characters.
      return -1;
    }
    CharBuffer out = CharBuffer.wrap(target, offset, length);
    while (out.position() == offset) {
      CoderResult result = decoder.decode(bytes, out, endOfInput);
      if (result.isError()) {
        pending = new CharacterCodingException();
        if (out.position() > offset) {
          break; // hand out what came before the bad byte first
        }
        throw pending;
      }
      if (result.isOverflow()) {
        break;
      }
      if (endOfInput) {
        if (!flushed) {
          decoder.flush(out);
          flushed = true;
        }
        break;
      }
      refill();
    }
    int produced = out.position() - offset;
    return produced == 0 ? -1 : produced;
  }

  private void refill() throws IOException {
    bytes.compact();
    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (n < 0) {
      endOfInput = true;
    } else {
      bytes.position(bytes.position() + n);
      bytesRead += n;
    }
    bytes.flip();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
