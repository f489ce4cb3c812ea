package org.pingdialer.lead;

import java.util.Map;

/**
 * A lead read from a file, checked and about to be stored.
 *
 * @param line the file line where its row starts
 * @param attributes the file's other columns, by header name
 */
public record NewLead(
    long line, PhoneNumber number, Contact contact, Map<String, String> attributes) {
  public NewLead {
    attributes = Map.copyOf(attributes);
  }
}
