#pragma once
// The change log as a table (newest last): wall time, images seen, setting, old → new, origin.
// Reads a core ChangeLog owned elsewhere; told when entries were appended. Exports the log's own
// CSV (RFC 4180), from its button or the window's Export menu.

#include <QWidget>

#include "CsvSource.h"
#include "foundation/ChangeLog.h"

class QAbstractTableModel;
class QLabel;
class QTableView;

namespace stdp::gui {

class ChangeLogModel;

class ChangeLogView : public QWidget, public CsvSource {
    Q_OBJECT
  public:
    explicit ChangeLogView(const ChangeLog* log, QWidget* parent = nullptr);
    ~ChangeLogView() override;

    // The log changed (entries appended or cleared): show it, scrolled to the newest.
    void refresh();
    QTableView* table() const { return table_; }
    int rowCount() const;

    QString csvName() const override { return QStringLiteral("change-log"); }
    QString csv() const override;

  signals:
    void exportRequested();

  protected:
    // Entries added while the view was hidden (another tab in front) were measured without
    // their rows: the columns are measured again when it shows.
    void showEvent(QShowEvent* event) override;

  private:
    void fitColumns();

    const ChangeLog* log_;
    ChangeLogModel* model_;
    QTableView* table_;
    QLabel* empty_;
};

}  // namespace stdp::gui
