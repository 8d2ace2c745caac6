#include "expression.h"

namespace stagecraft::expr {

// Placeholder until the expression engine lands.
struct Expression::Impl
{
};

Expression Expression::parse(QStringView text)
{
    Q_UNUSED(text);
    Expression e;
    e.d = std::make_shared<Impl>();
    return e;
}

bool Expression::isValid() const
{
    return !m_error;
}

const std::optional<ParseError> &Expression::error() const
{
    return m_error;
}

bool Expression::evaluate(const Variables &variables) const
{
    Q_UNUSED(variables);
    return false;
}

} // namespace stagecraft::expr
